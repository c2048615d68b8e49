// Pods that crash-loop or cannot pull their image (kwok stages keyed on the image name) make the
// ModelDeployment not Ready with a matching lastFailure; fixing the image recovers it.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk } from "../../support/cluster.ts";
import { condition, minimalMdep, waitForMdep } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";

const fx = useTestOperator("failures");

for (const [failure, reason] of [["simulate-crashloop", "CrashLoopBackOff"], ["simulate-imagepull", "ImagePullBackOff"], ["simulate-oom", "OOMKilled"]] as const) {
  test(`${reason}: Ready=False with lastFailure ${reason}, recovery after a fix`, async () => {
    const name = failure.replace("simulate-", "f-");
    await kubectlOk(fx.cluster, ["apply", "-f", "-"], minimalMdep(name, fx.ns, { image: `registry.example/${failure}:1` }));
    const failing = await waitForMdep(fx.cluster, fx.ns, name, `lastFailure ${reason}`, (md) => md.status?.lastFailure?.reason === reason);
    assert.equal(condition(failing, "Ready")?.status, "False");
    assert.match(failing.status?.lastFailure?.message ?? "", /model-server/, "the message names the container");
    await kubectlOk(fx.cluster, ["patch", "mdep", name, "-n", fx.ns, "--type=merge", "-p", '{"spec":{"image":"registry.example/model-server:1.1"}}']);
    const fixed = await waitForMdep(fx.cluster, fx.ns, name, "Ready after the image is fixed", (md) =>
      condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation);
    assert.equal(fixed.status?.lastFailure, undefined, "lastFailure cleared once Ready");
  });
}
