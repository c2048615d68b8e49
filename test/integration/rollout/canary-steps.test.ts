// Canary rollouts driven by the real operator on the real control plane (Replicas router):
// steps visible in replica counts, promotion and retirement, abort, progress deadline.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, recordVersions, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";
import { eventMessages, eventReasons, mdepWithRollout, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

const fx = useTestOperator("rollout");
const run = promisify(execFile);
const view = (md: MdepView): RolloutMdepView => md;
const readyOn = (version: string) => (md: MdepView): boolean =>
  condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation && md.status?.stable?.modelVersion === version;

test("a new model version walks its canary steps in replica counts, is promoted, and the old revision retires", async () => {
  const steps = [{ weight: 25, pause: "3s" }, { weight: 50, pause: "3s" }];
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("walk", fx.ns, { strategy: "Canary", steps }, { replicas: 4 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "walk", "Ready on v1", readyOn("v1")));
  const stableRevision = v1.status?.stable?.revision ?? "";
  assert.equal(v1.status?.rollout?.phase, "Stable");

  const recorder = await recordVersions(fx.cluster, fx.ns, "walk");
  const splits = new Set<string>();
  let watching = true;
  const sampling = (async () => {
    while (watching) {
      const replicas = await revisionReplicas(fx.cluster, fx.ns, "walk");
      splits.add([...replicas.entries()].sort(([a], [b]) => (a === stableRevision ? -1 : b === stableRevision ? 1 : 0)).map(([, n]) => n).join("+"));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await setModelVersion(fx.cluster, fx.ns, "walk", "v2");
  const done = view(await waitForMdep(fx.cluster, fx.ns, "walk", "promoted to v2", readyOn("v2"), 90_000));
  watching = false;
  await sampling;
  const versions = (await recorder.stop()).map(view);

  const canaryWeights = versions.flatMap((md) => (md.status?.canary === undefined ? [] : [md.status.canary.weight]));
  assert.deepEqual([...new Set(canaryWeights)], [25, 50], "status.canary.weight went through 25 then 50");
  const measured = versions.flatMap((md) => md.status?.traffic?.filter((t) => t.revision !== stableRevision && t.measuredWeight !== undefined).map((t) => t.measuredWeight) ?? []);
  assert.ok(measured.includes(25) && measured.includes(50), `measured canary weights include 25 and 50: ${JSON.stringify([...new Set(measured)])}`);
  assert.ok(splits.has("3+1") && splits.has("2+2"), `replica splits stable+canary seen: ${[...splits].join(", ")}`);

  const newRevision = done.status?.stable?.revision ?? "";
  assert.notEqual(newRevision, stableRevision);
  await waitFor("the old revision retired to zero replicas (kept for a drift rollback)", 30_000, async () => {
    const replicas = await revisionReplicas(fx.cluster, fx.ns, "walk");
    return replicas.size === 2 && replicas.get(newRevision) === 4 && replicas.get(stableRevision) === 0;
  });
  assert.deepEqual(done.status?.rollout?.previous?.revision, stableRevision);
  assert.equal(done.status?.rollout?.phase, "Stable");
  assert.deepEqual(done.status?.history?.map((h) => [h.modelVersion, h.outcome]), [["v2", "Promoted"]]);
  const reasons = await eventReasons(fx.cluster, fx.ns, "walk");
  for (const reason of ["RolloutStarted", "StepCompleted", "StepStarted", "PromotionStarted", "Promoted"]) {
    assert.ok(reasons.includes(reason), `Event ${reason} recorded (got ${reasons.join(", ")})`);
  }
  assert.equal(reasons.filter((r) => r === "StepStarted").length, 1, "step 2 started exactly once");
});

test("the abort annotation rolls back: stable gets everything back, the canary scales to zero, status says why", async () => {
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("abort", fx.ns, { strategy: "Canary", steps: [{ weight: 50 }] }, { replicas: 2 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "abort", "Ready on v1", readyOn("v1")));
  const stableRevision = v1.status?.stable?.revision ?? "";
  await setModelVersion(fx.cluster, fx.ns, "abort", "v2");
  const waiting = view(await waitForMdep(fx.cluster, fx.ns, "abort", "waiting for a person at 50%", (md) =>
    view(md).status?.rollout?.reason === "WaitingForPromotion"));
  const canaryRevision = waiting.status?.canary?.revision ?? "";
  assert.deepEqual(Object.fromEntries(await revisionReplicas(fx.cluster, fx.ns, "abort")), { [stableRevision]: 1, [canaryRevision]: 1 });
  assert.equal(condition(waiting, "Ready")?.status, "False");
  assert.match(condition(waiting, "Reconciling")?.message ?? "", /step 1 of 1 at 50%/);

  // `mdo abort`, the CLI a person uses: it sets the annotation the operator acts on.
  const cli = await run(process.execPath, ["src/cmd/mdo.ts", "abort", "abort", "-n", fx.ns, "--kubeconfig", fx.cluster.kubeconfigPath, "--id", "first"]);
  assert.match(cli.stdout, /mdo\.dev\/abort=first/);
  const rolledBack = view(await waitForMdep(fx.cluster, fx.ns, "abort", "rolled back", (md) =>
    view(md).status?.rollout?.phase === "RolledBack" && condition(md, "Stalled")?.status === "True"));
  assert.equal(condition(rolledBack, "Stalled")?.reason, "Aborted");
  assert.match(condition(rolledBack, "Stalled")?.message ?? "", /mdo\.dev\/retry/);
  assert.equal(rolledBack.status?.rollout?.acknowledged.abort, "first");
  assert.equal(rolledBack.status?.stable?.revision, stableRevision);
  assert.deepEqual(rolledBack.status?.traffic?.find((t) => t.revision === stableRevision)?.desiredWeight, 100);
  await waitFor("stable back to 2 replicas, canary at 0", 30_000, async () => {
    const replicas = await revisionReplicas(fx.cluster, fx.ns, "abort");
    return replicas.get(stableRevision) === 2 && replicas.get(canaryRevision) === 0;
  });
  assert.equal(rolledBack.status?.history?.at(-1)?.outcome, "Aborted");
  assert.ok((await eventReasons(fx.cluster, fx.ns, "abort")).includes("AbortRequested"));

  // Retry starts the same revision again from the first step.
  await kubectlOk(fx.cluster, ["annotate", "mdep", "abort", "-n", fx.ns, "mdo.dev/retry=1"]);
  await waitForMdep(fx.cluster, fx.ns, "abort", "rolling out again", (md) => view(md).status?.rollout?.phase === "Progressing" && view(md).status?.canary?.revision === canaryRevision);
});

test("a canary that never becomes ready is rolled back at the progress deadline, with the reason", async () => {
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("deadline", fx.ns, { strategy: "Canary", steps: [{ weight: 50, pause: "1s" }], progressDeadline: "1m" }, { replicas: 2 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "deadline", "Ready on v1", readyOn("v1")));
  const stableRevision = v1.status?.stable?.revision ?? "";
  await setModelVersion(fx.cluster, fx.ns, "deadline", "v2", { image: "registry.example/simulate-crashloop:1.0" });
  const rolledBack = view(await waitForMdep(fx.cluster, fx.ns, "deadline", "rolled back at the deadline", (md) =>
    view(md).status?.rollout?.phase === "RolledBack", 120_000));
  assert.equal(rolledBack.status?.rollout?.reason, "ProgressDeadlineExceeded");
  assert.equal(condition(rolledBack, "Stalled")?.reason, "ProgressDeadlineExceeded");
  assert.match(rolledBack.status?.lastFailure?.message ?? "", /no progress for 60s/);
  assert.equal(rolledBack.status?.stable?.revision, stableRevision);
  const messages = await eventMessages(fx.cluster, fx.ns, "deadline", "ProgressDeadlineExceeded");
  assert.ok(messages.some((m) => /rolled back/i.test(m) && /no progress for 60s/.test(m)), `a ProgressDeadlineExceeded Event says it rolled back: ${messages.join(" | ")}`);
  await waitFor("stable keeps 2 replicas", 30_000, async () => (await revisionReplicas(fx.cluster, fx.ns, "deadline")).get(stableRevision) === 2);
});
