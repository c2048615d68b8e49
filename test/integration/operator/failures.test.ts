// Pods that crash-loop or cannot pull their image (kwok stages keyed on the image name) make the
// ModelDeployment not Ready with a matching lastFailure; fixing the image recovers it.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { condition, minimalMdep, waitForMdep } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

let cluster: TestCluster;
let ns: string;
let operator: TestOperator;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "failures");
  operator = await startTestOperator(cluster, ns);
});
after(async () => {
  await operator.stop();
});

for (const [failure, reason] of [["simulate-crashloop", "CrashLoopBackOff"], ["simulate-imagepull", "ImagePullBackOff"], ["simulate-oom", "OOMKilled"]] as const) {
  test(`${reason}: Ready=False with lastFailure ${reason}, recovery after a fix`, async () => {
    const name = failure.replace("simulate-", "f-");
    await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep(name, ns, { image: `registry.example/${failure}:1` }));
    const failing = await waitForMdep(cluster, ns, name, `lastFailure ${reason}`, (md) => md.status?.lastFailure?.reason === reason);
    assert.equal(condition(failing, "Ready")?.status, "False");
    assert.match(failing.status?.lastFailure?.message ?? "", /model-server/, "the message names the container");
    await kubectlOk(cluster, ["patch", "mdep", name, "-n", ns, "--type=merge", "-p", '{"spec":{"image":"registry.example/model-server:1.1"}}']);
    const fixed = await waitForMdep(cluster, ns, name, "Ready after the image is fixed", (md) =>
      condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation);
    assert.equal(fixed.status?.lastFailure, undefined, "lastFailure cleared once Ready");
  });
}
