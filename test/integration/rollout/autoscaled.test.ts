// Autoscaled ModelDeployments roll out like fixed ones, and no HPA undoes the rollout's replica
// split: the real controller-manager's HPA controller runs (2 s sync period). Without metrics it
// still holds a revision at minReplicas, so an HPA left on the stable revision mid-rollout would
// scale it back up at once; after promotion the new revision's HPA takes over its size without
// it ever dropping (server-side apply hands the replica count over to the HPA).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";
import { revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

const fx = useTestOperator("autoscaled");
const view = (md: MdepView): RolloutMdepView => md;

function autoscaledMdep(name: string, rollout: Record<string, unknown>, minReplicas: number): string {
  return JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1",
    kind: "ModelDeployment",
    metadata: { name, namespace: fx.ns },
    spec: {
      model: { uri: `s3://models/${name}/v1`, format: "custom", version: "v1" },
      image: "registry.example/model-server:1.0",
      resources: { requests: { cpu: "100m", memory: "128Mi" } },
      autoscaling: { minReplicas, maxReplicas: minReplicas + 2, targetCPUUtilization: 70 },
      rollout,
    },
  });
}

/** Revision → the Deployment its HPA targets, for every HPA of the ModelDeployment. */
async function autoscalers(name: string): Promise<Map<string, string>> {
  const out = await kubectlOk(fx.cluster, ["get", "hpa", "-n", fx.ns, "-l", `mdo.dev/model-deployment=${name}`, "-o",
    "jsonpath={range .items[*]}{.metadata.labels.mdo\\.dev/revision} {.spec.scaleTargetRef.name}{\"\\n\"}{end}"]);
  return new Map(out.trim().split("\n").filter(Boolean).map((line) => line.split(" ") as [string, string]));
}

/** Samples every revision's replicas every 200 ms until `stop` resolves; returns the samples. */
async function sampleReplicas(name: string, until: Promise<unknown>): Promise<Map<string, number>[]> {
  const samples: Map<string, number>[] = [];
  let done = false;
  const finished = until.finally(() => { done = true; });
  while (!done) {
    samples.push(await revisionReplicas(fx.cluster, fx.ns, name));
    await new Promise((r) => setTimeout(r, 200));
  }
  await finished;
  return samples;
}

/** Waits until the stable revision runs `replicas` under its own HPA; returns its revision. */
async function stableUnderItsAutoscaler(name: string, replicas: number): Promise<string> {
  const ready = view(await waitForMdep(fx.cluster, fx.ns, name, "Ready", (md) => condition(md, "Ready")?.status === "True" && view(md).status?.rollout?.phase === "Stable"));
  const stable = ready.status?.stable?.revision ?? "";
  await waitFor(`${name}: the stable revision at ${replicas} replicas under its HPA`, 30_000, async () =>
    (await revisionReplicas(fx.cluster, fx.ns, name)).get(stable) === replicas && (await autoscalers(name)).get(stable) === `${name}-${stable}`);
  return stable;
}

/** Promotes, then checks the new revision's HPA takes over without its size ever dropping below `replicas`. */
async function promoteAndHandOver(name: string, oldRevision: string, newRevision: string, replicas: number): Promise<void> {
  const promoted = (async () => {
    await kubectlOk(fx.cluster, ["annotate", "mdep", name, "-n", fx.ns, "mdo.dev/promote=go"]);
    await waitForMdep(fx.cluster, fx.ns, name, "promoted", (md) => view(md).status?.stable?.revision === newRevision && view(md).status?.rollout?.phase === "Stable");
    await waitFor(`${name}: the new revision's HPA`, 30_000, async () => (await autoscalers(name)).get(newRevision) === `${name}-${newRevision}`);
    await new Promise((r) => setTimeout(r, 6000)); // three HPA sync periods under the new HPA
  })();
  const samples = await sampleReplicas(name, promoted);
  const newSizes = samples.map((s) => s.get(newRevision) ?? 0);
  const firstFull = newSizes.indexOf(replicas);
  assert.ok(firstFull >= 0, `the new revision reached ${replicas} replicas: ${newSizes.join(",")}`);
  assert.ok(newSizes.slice(firstFull).every((n) => n >= replicas), `once at full size, the new revision never dropped below ${replicas} while the HPA took over: ${newSizes.join(",")}`);
  assert.deepEqual([...(await autoscalers(name)).keys()], [newRevision], "only the promoted revision has an HPA");
  await waitFor(`${name}: the old revision retired to zero`, 30_000, async () => (await revisionReplicas(fx.cluster, fx.ns, name)).get(oldRevision) === 0);
}

test("Canary: no HPA while the stable and canary revisions share the budget; the promoted revision gets its HPA", async () => {
  const name = "canary-hpa";
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], autoscaledMdep(name, { strategy: "Canary", steps: [{ weight: 50 }] }, 4));
  const stable = await stableUnderItsAutoscaler(name, 4);

  await setModelVersion(fx.cluster, fx.ns, name, "v2");
  const waiting = view(await waitForMdep(fx.cluster, fx.ns, name, "waiting for a person at 50%", (md) => view(md).status?.rollout?.reason === "WaitingForPromotion"));
  const canary = waiting.status?.canary?.revision ?? "";
  assert.equal(waiting.status?.rollout?.replicaBudget, 4, "the budget is the stable revision's size when the rollout started");
  await waitFor(`${name}: split 2+2`, 30_000, async () => {
    const r = await revisionReplicas(fx.cluster, fx.ns, name);
    return r.get(stable) === 2 && r.get(canary) === 2;
  });
  assert.deepEqual([...(await autoscalers(name)).keys()], [], "no revision has an HPA mid-rollout");
  const held = await sampleReplicas(name, new Promise((r) => setTimeout(r, 6000))); // three HPA sync periods
  for (const sample of held) assert.deepEqual([sample.get(stable), sample.get(canary)], [2, 2], "nothing resized the split");

  await promoteAndHandOver(name, stable, canary, 4);
});

test("BlueGreen: the preview and the stable revision run at full size with no HPA; the promoted one gets its HPA", async () => {
  const name = "bg-hpa";
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], autoscaledMdep(name, { strategy: "BlueGreen", blueGreen: { autoPromote: false, scaleDownDelay: "0s" } }, 2));
  const blue = await stableUnderItsAutoscaler(name, 2);

  await setModelVersion(fx.cluster, fx.ns, name, "v2");
  const preview = view(await waitForMdep(fx.cluster, fx.ns, name, "preview ready", (md) => view(md).status?.rollout?.reason === "WaitingForPromotion"));
  const green = preview.status?.canary?.revision ?? "";
  assert.deepEqual(Object.fromEntries(await revisionReplicas(fx.cluster, fx.ns, name)), { [blue]: 2, [green]: 2 });
  assert.deepEqual([...(await autoscalers(name)).keys()], [], "no revision has an HPA mid-rollout");

  await promoteAndHandOver(name, blue, green, 2);
});
