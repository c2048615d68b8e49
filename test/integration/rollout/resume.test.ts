// An operator process killed (SIGKILL) in the middle of a rollout, and a new one started, continue
// the same step: no step is skipped or repeated, timed pauses keep their clock, acknowledged
// commands are not replayed.
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, test } from "node:test";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { condition, getMdep, recordVersions, scrape, sumMetric, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { eventReasons, mdepWithRollout, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

let cluster: TestCluster;
let ns: string;
let operator: { process: ChildProcess; address: string } | undefined;
const view = (md: MdepView): RolloutMdepView => md;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "resume");
});
after(() => {
  operator?.process.kill("SIGKILL");
});

/** `mdo operator` as its own process, scoped to the test's namespace. */
async function startOperatorProcess(): Promise<void> {
  const [port] = await freePorts(1);
  const address = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["src/cmd/mdo.ts", "operator",
    `--kubeconfig=${cluster.kubeconfigPath}`, `--namespace=${ns}`, `--health-address=${address}`, "--log-level=warn"],
  { stdio: ["ignore", "ignore", "inherit"] });
  operator = { process: child, address };
}

/** SIGKILL (no graceful shutdown), then a new operator process; resolves once it has reconciled. */
async function killAndRestartOperator(): Promise<void> {
  const old = operator?.process;
  if (old !== undefined && old.exitCode === null) {
    old.kill("SIGKILL");
    await once(old, "exit");
  }
  await startOperatorProcess();
  const address = operator?.address ?? "";
  await waitFor("the new operator reconciled", 30_000, async () => {
    try {
      return sumMetric(await scrape(address), "mdo_reconcile_total") > 0;
    } catch {
      return false;
    }
  });
}

test("an operator killed (SIGKILL) mid-rollout and restarted resumes the same step, without skipping or repeating one", async () => {
  await startOperatorProcess();
  // Step 1 waits for a person; step 2 holds for 15 s; then promotion.
  const steps = [{ weight: 25 }, { weight: 50, pause: "15s" }];
  await kubectlOk(cluster, ["apply", "-f", "-"], mdepWithRollout("resume", ns, { strategy: "Canary", steps }, { replicas: 4 }));
  await waitForMdep(cluster, ns, "resume", "Ready on v1", (md) => condition(md, "Ready")?.status === "True" && md.status?.stable?.modelVersion === "v1");
  const recorder = await recordVersions(cluster, ns, "resume");
  await setModelVersion(cluster, ns, "resume", "v2");
  const atStep1 = view(await waitForMdep(cluster, ns, "resume", "step 1 waits for a person", (md) => view(md).status?.rollout?.reason === "WaitingForPromotion"));
  const canary = atStep1.status?.canary?.revision ?? "";

  await killAndRestartOperator();
  const afterRestart = view(await getMdep(cluster, ns, "resume"));
  assert.equal(afterRestart.status?.rollout?.step, 0, "still at step 1 after the restart");
  assert.equal(afterRestart.status?.rollout?.stepStartedAt, atStep1.status?.rollout?.stepStartedAt, "the step's clock was not restarted");
  assert.equal((await revisionReplicas(cluster, ns, "resume")).get(canary), 1, "the canary keeps its 1 of 4 replicas");

  await kubectlOk(cluster, ["annotate", "mdep", "resume", "-n", ns, "mdo.dev/promote=one"]);
  const atStep2 = view(await waitForMdep(cluster, ns, "resume", "step 2 holding its pause", (md) => view(md).status?.rollout?.step === 1 && view(md).status?.rollout?.reason === "Pausing"));
  const step2StartedAt = Date.parse(atStep2.status?.rollout?.stepStartedAt ?? "");

  await killAndRestartOperator();
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
