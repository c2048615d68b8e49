// BlueGreen with the default (Replicas) router: a full-size preview the shared Service does not
// send traffic to, reachable through <name>-canary; the switch on promotion; the old revision
// kept for the scale-down delay, then at zero replicas.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";
import { mdepWithRollout, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

const fx = useTestOperator("bluegreen");
const view = (md: MdepView): RolloutMdepView => md;

async function selectedRevision(service: string): Promise<string> {
  return (await kubectlOk(fx.cluster, ["get", "service", service, "-n", fx.ns, "-o", "jsonpath={.spec.selector.mdo\\.dev/revision}"])).trim();
}

test("a blue-green preview gets no traffic from the shared Service until it is promoted", async () => {
  const rollout = { strategy: "BlueGreen", blueGreen: { autoPromote: false, scaleDownDelay: "5s" } };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("bg", fx.ns, rollout, { replicas: 2 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "bg", "Ready on v1", (md) => condition(md, "Ready")?.status === "True" && md.status?.stable?.modelVersion === "v1"));
  const blue = v1.status?.stable?.revision ?? "";
  assert.equal(await selectedRevision("bg"), blue, "the shared Service selects the stable revision");

  await setModelVersion(fx.cluster, fx.ns, "bg", "v2");
  const preview = view(await waitForMdep(fx.cluster, fx.ns, "bg", "preview ready, waiting for a person", (md) => view(md).status?.rollout?.reason === "WaitingForPromotion"));
  const green = preview.status?.canary?.revision ?? "";
  assert.deepEqual(Object.fromEntries(await revisionReplicas(fx.cluster, fx.ns, "bg")), { [blue]: 2, [green]: 2 }, "the preview runs at full size");
  assert.equal(await selectedRevision("bg"), blue, "the preview gets no traffic from the shared Service");
  assert.equal(await selectedRevision("bg-canary"), green, "the preview is reachable through bg-canary");
  assert.deepEqual(preview.status?.traffic?.map((t) => [t.revision, t.desiredWeight]), [[blue, 100], [green, 0]]);

  await kubectlOk(fx.cluster, ["annotate", "mdep", "bg", "-n", fx.ns, "mdo.dev/promote=go"]);
  const switched = view(await waitForMdep(fx.cluster, fx.ns, "bg", "promoted", (md) => md.status?.stable?.revision === green));
  assert.equal(await selectedRevision("bg"), green, "all traffic switched at once");
  assert.equal(switched.status?.rollout?.previous?.revision, blue);
  await waitFor("the old revision scaled to zero after its delay", 30_000, async () => (await revisionReplicas(fx.cluster, fx.ns, "bg")).get(blue) === 0);
  const promotedAt = Date.parse(switched.status?.history?.at(-1)?.time ?? "");
  const retiredAt = Date.parse((await kubectlOk(fx.cluster, ["get", "events.events.k8s.io", "-n", fx.ns, "--field-selector", "reason=RevisionRetired", "-o", "jsonpath={.items[0].eventTime}"])).trim());
  assert.ok(retiredAt - promotedAt >= 5000 - 1000, `the old revision kept running for its 5 s delay (retired ${retiredAt - promotedAt} ms after the switch; 1 s of timestamp rounding)`);
  await waitFor("bg-canary pruned", 30_000, async () => (await fx.cluster.kubectl(["get", "service", "bg-canary", "-n", fx.ns])).code !== 0);
});
