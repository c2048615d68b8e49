// The shadow phase with the real operator on the real control plane (kwok pods): before step 1 the
// candidate runs at its mirrored share of the replicas with no traffic from the shared Service,
// the operator writes the stable agents' mirror settings into <name>-shadow, and empties them
// when the phase ends; removing spec.rollout.shadow deletes the ConfigMap.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, recordVersions, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";
import { mdepWithRollout, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

const fx = useTestOperator("shadow");
type ShadowView = RolloutMdepView & { status?: { rollout?: { shadowing?: boolean }; canary?: { stepStartedAt?: string } } };
const view = (md: MdepView): ShadowView => md;
const readyOn = (version: string) => (md: MdepView): boolean =>
  condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation && md.status?.stable?.modelVersion === version;

async function shadowSettings(name: string): Promise<Record<string, unknown> | undefined> {
  const got = await fx.cluster.kubectl(["get", "configmap", `${name}-shadow`, "-n", fx.ns, "-o", "jsonpath={.data.shadow\\.json}"]);
  return got.code === 0 ? JSON.parse(got.stdout) as Record<string, unknown> : undefined;
}

async function selected(service: string): Promise<string> {
  return (await kubectlOk(fx.cluster, ["get", "service", service, "-n", fx.ns, "-o", "jsonpath={.spec.selector.mdo\\.dev/revision}"])).trim();
}

test("a shadow phase: candidate at its mirrored share with no user traffic, mirror settings written then emptied, then the steps", async () => {
  const rollout = { strategy: "Canary", shadow: { duration: "10s", sampleRate: 0.5 }, steps: [{ weight: 50, pause: "2s" }] };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("mirror", fx.ns, rollout, { replicas: 4 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "mirror", "Ready on v1", readyOn("v1")));
  const stable = v1.status?.stable?.revision ?? "";
  assert.deepEqual(await shadowSettings("mirror"), {}, "no rollout: the settings say off");

  const recorder = await recordVersions(fx.cluster, fx.ns, "mirror");
  await setModelVersion(fx.cluster, fx.ns, "mirror", "v2");
  const shadowing = view(await waitForMdep(fx.cluster, fx.ns, "mirror", "in the shadow phase with a ready candidate",
    (md) => view(md).status?.rollout?.shadowing === true && view(md).status?.rollout?.reason === "Shadowing"));
  const candidate = shadowing.status?.canary?.revision ?? "";
  assert.equal(shadowing.status?.canary?.weight, 0);
  assert.deepEqual(Object.fromEntries(await revisionReplicas(fx.cluster, fx.ns, "mirror")), { [stable]: 4, [candidate]: 2 },
    "the stable keeps its 4 replicas; the candidate runs ceil(4 × 0.5)");
  assert.equal(await selected("mirror"), stable, "the shared Service sends users to the stable revision only");
  assert.equal(await selected("mirror-canary"), candidate, "the candidate is reachable through its track Service");
  const clusterIP = (await kubectlOk(fx.cluster, ["get", "service", "mirror-canary", "-n", fx.ns, "-o", "jsonpath={.spec.clusterIP}"])).trim();
  assert.deepEqual(await shadowSettings("mirror"), {
    source: stable, candidate, url: `http://${clusterIP}:80`, sampleRate: 0.5, maxInFlight: 64, timeoutMs: 10_000, comparison: { mode: "exact" },
  });

  await waitForMdep(fx.cluster, fx.ns, "mirror", "promoted to v2", readyOn("v2"), 90_000);
  const versions = (await recorder.stop()).map(view);
  assert.deepEqual(await shadowSettings("mirror"), {}, "after the phase the settings say off again");
  const phases = versions.map((md) => (md.status?.rollout?.shadowing === true ? "shadow" : md.status?.canary?.weight === 50 ? "50%" : ""))
    .filter((p, i, all) => p !== "" && p !== all[i - 1]);
  assert.deepEqual(phases, ["shadow", "50%"], "the shadow phase came before the first step, once");
  const startedAt = Date.parse(versions.find((md) => md.status?.rollout?.shadowing === true)?.status?.rollout?.stepStartedAt ?? "");
  const stepAt = Date.parse(versions.find((md) => md.status?.canary?.weight === 50)?.status?.canary?.stepStartedAt ?? "");
  assert.ok(stepAt - startedAt >= 10_000 - 1000, `the phase lasted its 10 s (${stepAt - startedAt} ms; 1 s of timestamp rounding)`);

  await kubectlOk(fx.cluster, ["patch", "mdep", "mirror", "-n", fx.ns, "--type=json", "-p", JSON.stringify([{ op: "remove", path: "/spec/rollout/shadow" }])]);
  await waitFor("the shadow settings deleted with spec.rollout.shadow", 30_000, async () => (await shadowSettings("mirror")) === undefined);
});
