// Drift of the stable revision, watched by the real operator through a real agent on 127.0.0.1:
// DataDrift with the top features in status, and the Rollback and Retrain actions, each once per
// cooldown. The agent fronts a model-server stand-in (drift needs only what passes the agent).
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { kubectlOk, waitFor, type TestCluster } from "../../support/cluster.ts";
import { irisRows } from "../../support/iris-data.ts";
import { condition, recordVersions, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { eventReasons, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";
import { sendRequests, startAgentProcess, type AgentProcess, type FailingModelServer } from "../analysis/support/agents.ts";
import { useDriftFixture } from "../analysis/support/drift-fixture.ts";

type DriftView = RolloutMdepView & { status?: RolloutMdepView["status"] & { drift?: { revision?: string; maxPSI: number; window: number; features?: { name: string; psi: number }[]; lastAction?: { action: string; time: string; job?: string; revision: string } } } };

let cluster: TestCluster;
let ns: string;
let upstream: FailingModelServer;
let dir: string;
const view = (md: MdepView): DriftView => md;

const { agents } = useDriftFixture("drift", (fx) => ({ cluster, ns, upstream, dir } = fx));

/** A ModelDeployment on v1 then v2 (rolling), drift-monitored; returns the v1 and v2 revisions. */
async function deployTwoVersions(name: string, drift: Record<string, unknown>): Promise<{ v1: string; v2: string }> {
  await kubectlOk(cluster, ["create", "configmap", `${name}-baseline`, "-n", ns, `--from-file=baseline.json=${join(dir, "baseline.json")}`]);
  const manifest = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name, namespace: ns },
    spec: {
      model: { uri: `s3://models/${name}/v1`, format: "custom", version: "v1" }, image: "registry.example/model-server:1.0", replicas: 1,
      monitoring: { drift: { baselineRef: { configMapName: `${name}-baseline` }, window: 200, minWindow: 200, psiThreshold: 0.25, cooldown: "1m", ...drift } },
    },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(manifest));
  const ready = (version: string) => (md: MdepView): boolean => condition(md, "Ready")?.status === "True" && md.status?.stable?.modelVersion === version && md.status?.observedGeneration === md.metadata.generation;
  const v1 = (await waitForMdep(cluster, ns, name, "Ready on v1", ready("v1"))).status?.stable?.revision ?? "";
  await setModelVersion(cluster, ns, name, "v2");
  const v2 = (await waitForMdep(cluster, ns, name, "Ready on v2", ready("v2"))).status?.stable?.revision ?? "";
  return { v1, v2 };
}

/** A real agent labelled with `revision`, binning drift against the baseline, fed `count` rows shifted by `shift` sd. */
async function agentWithTraffic(revision: string, shift: number[]): Promise<AgentProcess> {
  const agent = await startAgentProcess(`agent-${revision}`, upstream.port, {
    revision, model: { name: "iris", version: "v2" }, drift: { baselineFile: join(dir, "baseline.json"), window: 200 },
  });
  agents.set(revision, agent);
  for (let i = 0; i < 4; i++) await sendRequests(`${agent.url}/v2/models/iris/infer`, irisInferenceBody(irisRows(100, 50 + i, shift)), 1, 1);
  return agent;
}

test("drift on the stable revision sets DataDrift with the top features; Rollback returns to the previous revision once", async () => {
  const { v1, v2 } = await deployTwoVersions("rollback", { action: "Rollback" });
  assert.equal((await revisionReplicas(cluster, ns, "rollback")).get(v1), 0, "the replaced revision is kept at zero replicas");
  const recorder = await recordVersions(cluster, ns, "rollback");
  await agentWithTraffic(v2, [0, 0, 1.5, 0]);
  await waitForMdep(cluster, ns, "rollback", "rolled back for drift", (md) => view(md).status?.rollout?.phase === "RolledBack", 60_000);
  // The status written by the rollback itself (later ones watch v1, which has no agent here: DataDrift Unknown).
  const rolledBack = (await recorder.stop()).map(view).find((md) => md.status?.rollout?.phase === "RolledBack");
  assert.ok(rolledBack !== undefined);
  const drift = rolledBack.status?.drift;
  assert.equal(drift?.revision, v2);
  assert.equal(drift?.features?.[0]?.name, "petal_length", "the drifted feature comes first");
  assert.ok((drift?.features?.[0]?.psi ?? 0) > 0.25, `petal_length PSI ${drift?.features?.[0]?.psi}`);
  assert.ok((drift?.features ?? []).slice(1).every((f) => f.psi < 0.25), "only petal_length drifted");
  assert.equal(drift?.lastAction?.action, "Rollback");
  assert.equal(condition(rolledBack, "DataDrift")?.status, "True");
  assert.match(condition(rolledBack, "DataDrift")?.message ?? "", /petal_length/);
  assert.equal(rolledBack.status?.stable?.revision, v1, "the previous revision is stable again");
  assert.equal(condition(rolledBack, "Stalled")?.reason, "DataDrift");
  assert.equal(rolledBack.status?.history?.at(-1)?.outcome, "RolledBack");
  await waitFor("v1 back to 1 replica, v2 at 0", 30_000, async () => {
    const replicas = await revisionReplicas(cluster, ns, "rollback");
    return replicas.get(v1) === 1 && replicas.get(v2) === 0;
  });
  await new Promise((r) => setTimeout(r, 6000)); // three more drift checks
  const reasons = await eventReasons(cluster, ns, "rollback");
  assert.equal(reasons.filter((r) => r === "DataDrift").length, 1, `one DataDrift rollback Event: ${reasons.join(", ")}`);
});

test("Retrain creates the Job from the template, it completes under kwok, and only one is started per cooldown", async () => {
  const template = { spec: { backoffLimit: 0, template: { spec: { containers: [{ name: "train", image: "registry.example/trainer:1.0", args: ["--from-drift"] }] } } } };
  const { v2 } = await deployTwoVersions("retrain", { action: "Retrain", retrainJobTemplate: template });
  await agentWithTraffic(v2, [0, 0, 1.5, 0]);
  const started = view(await waitForMdep(cluster, ns, "retrain", "retraining started", (md) => view(md).status?.drift?.lastAction?.job !== undefined, 60_000));
  const job = started.status?.drift?.lastAction?.job ?? "";
  assert.equal(condition(started, "DataDrift")?.status, "True");
  await waitFor(`Job ${job} completes`, 60_000, async () =>
    (await kubectlOk(cluster, ["get", "job", job, "-n", ns, "-o", "jsonpath={.status.succeeded}"])).trim() === "1");
  const env = await kubectlOk(cluster, ["get", "job", job, "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}"]);
  assert.match(env, /MDO_MODEL_URI/);
  assert.match(env, /MDO_DRIFT_REPORT/);
  await new Promise((r) => setTimeout(r, 8000)); // four more drift checks, all within the 1m cooldown
  const jobs = (await kubectlOk(cluster, ["get", "jobs", "-n", ns, "-l", "mdo.dev/model-deployment=retrain", "-o", "name"])).trim().split("\n").filter(Boolean);
  assert.deepEqual(jobs, [`job.batch/${job}`], "one Job per cooldown");
  const after = view(await waitForMdep(cluster, ns, "retrain", "still drifting", (md) => condition(md, "DataDrift")?.status === "True"));
  assert.match(condition(after, "DataDrift")?.message ?? "", /next action not before/);
  assert.equal(after.status?.rollout?.phase, "Stable", "Retrain does not roll back");
});

test("ground truth: labels posted to the stable revision's agent become status.performance and ModelPerformance", async () => {
  const name = "truth";
  const manifest = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name, namespace: ns },
    spec: {
      model: { uri: `s3://models/${name}/v1`, format: "custom", version: "v1" }, image: "registry.example/model-server:1.0", replicas: 1,
      monitoring: { groundTruth: { kind: "Classification", ttl: "10m", minAccuracy: 0.9, minLabels: 10 } },
    },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(manifest));
  const ready = await waitForMdep(cluster, ns, name, "Ready", (md) => condition(md, "Ready")?.status === "True");
  const revision = ready.status?.stable?.revision ?? "";
  // The operator tells the revision's agents to keep predictions for labels.
  const config = JSON.parse(await kubectlOk(cluster, ["get", "configmap", `${name}-${revision}-agent`, "-n", ns, "-o", "jsonpath={.data.config\\.json}"])) as { feedback?: unknown };
  assert.deepEqual(config.feedback, { kind: "classification", maxPredictions: 100_000, ttlMs: 600_000 });
  const agent = await startAgentProcess(`agent-${revision}`, upstream.port, { revision, model: { name: "iris", version: "v1" }, feedback: { kind: "classification", maxPredictions: 1000, ttlMs: 600_000 } });
  agents.set(revision, agent);
  // 20 answered requests (the stand-in predicts class 1); the labels say 1 for 16 of them: accuracy 0.8.
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${agent.url}/v2/models/iris/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(irisInferenceBody(irisRows(1, 900 + i))) });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    ids.push(res.headers.get("x-mdo-request-id") ?? "");
  }
  const feedback = { feedback: ids.map((requestId, i) => ({ requestId, label: i < 16 ? 1 : 0 })) };
  const posted = await fetch(`${agent.url}/mdo/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(feedback) });
  assert.equal(posted.status, 200);
  type PerformanceView = MdepView & { status?: MdepView["status"] & { performance?: { revision: string; labels: number; accuracy?: number } } };
  const scored = await waitForMdep(cluster, ns, name, "ModelPerformance False", (md) => condition(md, "ModelPerformance")?.status === "False", 30_000) as PerformanceView;
  assert.deepEqual([scored.status?.performance?.revision, scored.status?.performance?.labels, scored.status?.performance?.accuracy], [revision, 20, 0.8]);
  assert.equal(condition(scored, "ModelPerformance")?.reason, "AccuracyBelowMin");
  assert.match(condition(scored, "ModelPerformance")?.message ?? "", /accuracy 0\.8 over 20 labels, below the minimum 0\.9/);
});
