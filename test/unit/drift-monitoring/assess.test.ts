// Drift monitoring decisions: condition, status.drift, and the action once per cooldown.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { DriftMonitoringSpec } from "../../../src/api/monitoring.ts";
import { assessDrift, type DriftInput } from "../../../src/controllers/modeldeployment/drift/assess.ts";
import { buildRetrainJob, retrainJobName, RETRAIN_ENV } from "../../../src/controllers/modeldeployment/drift/retrain-job.ts";
import { parseModelDeployment } from "../../../src/api/index.ts";
import { combineDrift } from "../../../src/analysis/agent/revision-drift.ts";
import { homogeneityTest } from "../../../src/drift/homogeneity.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const spec = (over: Record<string, unknown> = {}) =>
  DriftMonitoringSpec.parse({ baselineRef: { configMapName: "base" }, psiThreshold: 0.25, action: "Rollback", cooldown: "10m", ...over });
const reading = (maxPSI: number, features: [string, number][] = [["petal_length", maxPSI], ["sepal_width", 0.01]]): DriftInput["reading"] =>
  ({ ok: true, value: { maxPSI, window: 500, features: features.map(([name, psi]) => ({ name, psi })), reporting: 1, agents: 1 } });
const input = (over: Partial<DriftInput>): DriftInput => ({ spec: spec(), reading: reading(0.05), revision: "rev1", previous: undefined, generation: 3, now: NOW, ...over });

test("within the threshold: DataDrift False, status.drift with the top features, no action", () => {
  const a = assessDrift(input({}));
  assert.equal(a.condition.status, "False");
  assert.equal(a.condition.reason, "NoDrift");
  assert.equal(a.action, undefined);
  assert.deepEqual(a.drift, { revision: "rev1", evaluatedAt: "2026-03-01T12:00:00Z", window: 500, maxPSI: 0.05, features: [{ name: "petal_length", psi: 0.05 }, { name: "sepal_width", psi: 0.01 }] });
});

test("above the threshold: DataDrift True naming the drifted feature only, and the action", () => {
  const a = assessDrift(input({ reading: reading(0.8641) }));
  assert.equal(a.condition.status, "True");
  assert.match(a.condition.message, /1 feature\(s\) above PSI 0\.25: petal_length 0\.864/);
  assert.doesNotMatch(a.condition.message, /sepal_width/);
  assert.deepEqual(a.action, { action: "Rollback", time: "2026-03-01T12:00:00Z", revision: "rev1" });
});

test("one action per cooldown: none before it ends, one again after", () => {
  const first = assessDrift(input({ reading: reading(0.9) }));
  const previous = { ...first.drift!, lastAction: first.action! };
  const during = assessDrift(input({ reading: reading(0.9), previous, now: new Date(NOW.getTime() + 9 * 60_000) }));
  assert.equal(during.action, undefined);
  assert.equal(during.condition.status, "True");
  assert.match(during.condition.message, /next action not before 2026-03-01T12:10:00Z/);
  assert.deepEqual(during.drift?.lastAction, first.action);
  const after = assessDrift(input({ reading: reading(0.9), previous, now: new Date(NOW.getTime() + 10 * 60_000) }));
  assert.equal(after.action?.time, "2026-03-01T12:10:00Z");
});

test("no reading: DataDrift Unknown with the reason; status.drift kept (it names its revision and holds the cooldown)", () => {
  const previous = assessDrift(input({})).drift;
  const missing: DriftInput["reading"] = { ok: false, reason: "NoAgents", message: "no ready agents" };
  const same = assessDrift(input({ reading: missing, previous }));
  assert.deepEqual([same.condition.status, same.condition.reason], ["Unknown", "NoDriftData"]);
  assert.equal(same.drift, previous);
  assert.equal(assessDrift(input({ reading: missing, previous, revision: "rev2" })).drift, previous);
});

test("an unchanged measurement keeps the previous status.drift (no write)", () => {
  const previous = assessDrift(input({})).drift;
  const again = assessDrift(input({ previous, now: new Date(NOW.getTime() + 30_000), reading: reading(0.0500001) }));
  assert.equal(again.drift, previous);
});

test("the retraining Job: the template, told what drifted, restricted by default, one name per cooldown period", () => {
  const parsed = parseModelDeployment({
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: "iris", namespace: "ml", uid: "u1" },
    spec: {
      model: { uri: "s3://models/iris/v1", format: "sklearn" },
      replicas: 1,
      monitoring: { drift: { baselineRef: { configMapName: "base" }, action: "Retrain", retrainJobTemplate: {
        metadata: { labels: { team: "ml" } },
        spec: { backoffLimit: 1, template: { spec: { containers: [{ name: "train", image: "trainer:1", env: [{ name: "A", value: "1" }] }] } } },
      } } },
    },
  });
  assert.ok(parsed.ok);
  const drift = { revision: "rev1", evaluatedAt: "2026-03-01T12:00:00Z", window: 500, maxPSI: 0.9 };
  const job = buildRetrainJob(parsed.value, "iris-retrain-x", drift) as unknown as {
    metadata: { name: string; labels: Record<string, string>; ownerReferences: { uid: string }[] };
    spec: { backoffLimit: number; template: { spec: { restartPolicy: string; securityContext: Record<string, unknown>; containers: { env: { name: string; value: string }[]; securityContext: Record<string, unknown> }[] } } };
  };
  assert.equal(job.metadata.labels.team, "ml");
  assert.equal(job.metadata.labels["mdo.dev/model-deployment"], "iris");
  assert.equal(job.metadata.ownerReferences[0]?.uid, "u1");
  assert.equal(job.spec.backoffLimit, 1);
  const pod = job.spec.template.spec;
  assert.equal(pod.restartPolicy, "Never");
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.deepEqual(pod.containers[0]?.securityContext, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  const env = Object.fromEntries(pod.containers[0].env.map((e) => [e.name, e.value]));
  assert.equal(env.A, "1");
  assert.equal(env[RETRAIN_ENV.modelUri], "s3://models/iris/v1");
  assert.deepEqual(JSON.parse(env[RETRAIN_ENV.driftReport] ?? "{}"), drift);
  const cooldown = 3_600_000;
  const t = Date.parse("2026-03-01T12:00:00Z");
  assert.equal(retrainJobName("iris", "rev1", t, cooldown), retrainJobName("iris", "rev1", t + 60_000, cooldown));
  assert.notEqual(retrainJobName("iris", "rev1", t, cooldown), retrainJobName("iris", "rev1", t + cooldown, cooldown));
  assert.ok(retrainJobName("a".repeat(45), "rev1", t, cooldown).length <= 63);
});

test("every drifted feature is counted, however many (the agents' reports were once cut at 10)", () => {
  const features = Array.from({ length: 15 }, (_, i) => ({ name: `f${i}`, psi: 0.3 + i / 100 }));
  const combined = combineDrift([{ windowSamples: 1000, features }, { windowSamples: 1000, features: [{ name: "f0", psi: 0.9 }] }]);
  assert.ok(combined !== undefined);
  const a = assessDrift(input({ reading: { ok: true, value: combined } }));
  assert.match(a.condition.message, /15 feature\(s\) above PSI 0\.25: f0 0\.9, f14 0\.44/);
  assert.equal(a.drift?.features?.length, 15);
});

test("agents' bin counts are pooled and tested against the baseline's counts; an agent without counts means no test", () => {
  const withCounts = (counts: number[]) => ({ windowSamples: 100, features: [{ name: "x", psi: 0.01, counts, baselineCounts: [500, 500] }] });
  const pooled = combineDrift([withCounts([60, 40]), withCounts([55, 45])]);
  assert.equal(pooled?.features[0]?.pValue, homogeneityTest([115, 85], [500, 500]).pValue);
  const mixed = combineDrift([withCounts([60, 40]), { windowSamples: 100, features: [{ name: "x", psi: 0.02 }] }]);
  assert.equal(mixed?.features[0]?.pValue, undefined);
});

test("with tested features: drift by the calibrated test (Bonferroni over the features), never on a window under minWindow, PSI as an optional effect floor", () => {
  const tested = (window: number, features: { name: string; psi: number; pValue: number }[]): DriftInput["reading"] =>
    ({ ok: true, value: { maxPSI: Math.max(...features.map((f) => f.psi)), window, features, reporting: 2, agents: 2 } });
  const features = [{ name: "petal_length", psi: 0.04, pValue: 1e-9 }, { name: "sepal_width", psi: 0.01, pValue: 0.3 }];
  const noFloor = spec({ psiThreshold: undefined });
  const drifted = assessDrift(input({ spec: noFloor, reading: tested(2000, features) }));
  assert.equal(drifted.condition.status, "True");
  assert.match(drifted.condition.message, /1 feature\(s\) drifted, p < 0\.005 \(false-alarm rate 0\.01 over 2 features\): petal_length \(p 1e-9, PSI 0\.04\)/);
  assert.deepEqual(drifted.drift?.features?.[0], { name: "petal_length", psi: 0.04, pValue: 1e-9 });
  assert.ok(drifted.action !== undefined);
  const small = assessDrift(input({ spec: noFloor, reading: tested(999, features) }));
  assert.deepEqual([small.condition.status, small.condition.reason, small.action], ["Unknown", "WindowTooSmall", undefined]);
  assert.match(small.condition.message, /999 rows, fewer than the 1000/);
  const floor = assessDrift(input({ spec: spec({ psiThreshold: 0.1 }), reading: tested(2000, features) }));
  assert.equal(floor.condition.status, "False", "significant, but PSI 0.04 is under the 0.1 floor");
  const calm = assessDrift(input({ spec: DriftMonitoringSpec.parse({ baselineRef: { configMapName: "base" } }), reading: tested(2000, [{ name: "a", psi: 0.3, pValue: 0.006 }, { name: "b", psi: 0.2, pValue: 0.02 }]) }));
  assert.equal(calm.condition.status, "False", "large PSI, but p 0.006 is not below 0.01 / 2: no drift, whatever the PSI");
  assert.match(calm.condition.message, /no feature drifted: none has p < 0\.005/);
});

test("prediction drift: the model's outputs are pooled, shown in status.drift.prediction and tested with the features", () => {
  const report = (classes: number[]) => ({
    windowSamples: 1000,
    features: [{ name: "x", psi: 0.01, counts: [500, 500], baselineCounts: [500, 500] }],
    prediction: { name: "class", psi: 0.2, counts: classes, baselineCounts: [500, 500, 0] },
  });
  const combined = combineDrift([report([700, 300, 0]), report([680, 320, 0])]);
  assert.ok(combined?.prediction !== undefined);
  assert.equal(combined.prediction.pValue, homogeneityTest([1380, 620, 0], [500, 500, 0]).pValue);
  const assessed = assessDrift(input({ spec: spec({ psiThreshold: undefined }), reading: { ok: true, value: combined } }));
  assert.equal(assessed.condition.status, "True");
  assert.match(assessed.condition.message, /1 feature\(s\) drifted, p < 0\.005 \(false-alarm rate 0\.01 over 2 features\): class \(prediction\)/);
  assert.deepEqual(Object.keys(assessed.drift?.prediction ?? {}), ["name", "psi", "pValue"]);
  assert.equal(assessed.drift?.prediction?.name, "class");
  // An agent without the prediction in its report: the outputs are not tested (not pooled), the inputs still are.
  const partial = combineDrift([report([700, 300, 0]), { windowSamples: 1000, features: [{ name: "x", psi: 0.01, counts: [500, 500], baselineCounts: [500, 500] }] }]);
  assert.equal(partial?.prediction?.pValue, undefined);
  assert.equal(typeof partial?.features[0]?.pValue, "number");
});
