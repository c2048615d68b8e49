// An operator killed in the middle of a rollout, and a new one started, continue the same step:
// no step is skipped or repeated, timed pauses keep their clock, acknowledged commands are not
// replayed.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { condition, getMdep, recordVersions, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import { eventReasons, mdepWithRollout, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

let cluster: TestCluster;
let ns: string;
let operator: TestOperator | undefined;
const view = (md: MdepView): RolloutMdepView => md;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "resume");
});
after(async () => {
  await operator?.stop();
});

async function restartOperator(): Promise<void> {
  await operator?.stop();
  operator = await startTestOperator(cluster, ns);
}

test("an operator restarted mid-rollout resumes the same step, without skipping or repeating one", async () => {
  operator = await startTestOperator(cluster, ns);
  // Step 1 waits for a person; step 2 holds for 15 s; then promotion.
  const steps = [{ weight: 25 }, { weight: 50, pause: "15s" }];
  await kubectlOk(cluster, ["apply", "-f", "-"], mdepWithRollout("resume", ns, { strategy: "Canary", steps }, { replicas: 4 }));
  await waitForMdep(cluster, ns, "resume", "Ready on v1", (md) => condition(md, "Ready")?.status === "True" && md.status?.stable?.modelVersion === "v1");
  const recorder = await recordVersions(cluster, ns, "resume");
  await setModelVersion(cluster, ns, "resume", "v2");
  const atStep1 = view(await waitForMdep(cluster, ns, "resume", "step 1 waits for a person", (md) => view(md).status?.rollout?.reason === "WaitingForPromotion"));
  const canary = atStep1.status?.canary?.revision ?? "";

  await restartOperator();
  await new Promise((r) => setTimeout(r, 3000)); // the new operator has reconciled by now
  const afterRestart = view(await getMdep(cluster, ns, "resume"));
  assert.equal(afterRestart.status?.rollout?.step, 0, "still at step 1 after the restart");
  assert.equal(afterRestart.status?.rollout?.stepStartedAt, atStep1.status?.rollout?.stepStartedAt, "the step's clock was not restarted");
  assert.equal((await revisionReplicas(cluster, ns, "resume")).get(canary), 1, "the canary keeps its 1 of 4 replicas");

  await kubectlOk(cluster, ["annotate", "mdep", "resume", "-n", ns, "mdo.dev/promote=one"]);
  const atStep2 = view(await waitForMdep(cluster, ns, "resume", "step 2 holding its pause", (md) => view(md).status?.rollout?.step === 1 && view(md).status?.rollout?.reason === "Pausing"));
  const step2StartedAt = Date.parse(atStep2.status?.rollout?.stepStartedAt ?? "");

  await restartOperator();
  const promoted = view(await waitForMdep(cluster, ns, "resume", "promoted to v2", (md) => md.status?.stable?.modelVersion === "v2" && view(md).status?.rollout?.phase === "Stable", 60_000));
  const versions = (await recorder.stop()).map(view);

  // The steps seen in status, in order, each once: 0, then 1, then no canary.
  const stepsSeen = versions.map((md) => md.status?.rollout?.phase === "Progressing" ? md.status.rollout.step : undefined).filter((s) => s !== undefined);
  assert.deepEqual([...new Set(stepsSeen)], [0, 1]);
  assert.ok(stepsSeen.indexOf(1) > stepsSeen.lastIndexOf(0), "step 1 never came back after step 2 started");
  // Step 2's pause was honoured across the restart: promotion started no earlier than its end.
  const promoting = versions.find((md) => md.status?.rollout?.phase === "Promoting" || md.status?.stable?.modelVersion === "v2");
  assert.ok(promoting !== undefined);
  const history = promoted.status?.history ?? [];
  assert.ok(Date.parse(history.at(-1)?.time ?? "") >= step2StartedAt + 15_000 - 1000, "promoted after step 2's 15 s pause (±1 s of timestamp rounding)");
  assert.deepEqual(history.map((h) => [h.modelVersion, h.outcome]), [["v2", "Promoted"]]);
  assert.equal(promoted.status?.rollout?.acknowledged.promote, "one");

  const reasons = await eventReasons(cluster, ns, "resume");
  assert.equal(reasons.filter((r) => r === "RolloutStarted").length, 1, "the rollout started once");
  assert.equal(reasons.filter((r) => r === "StepStarted").length, 1, "step 2 started once");
  assert.equal(reasons.filter((r) => r === "PromoteRequested").length, 1, "the promote command was acted on once");
});
