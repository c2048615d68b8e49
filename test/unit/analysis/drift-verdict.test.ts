import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { planChecks } from "../../../src/analysis/checks.ts";
import type { DriftEvidence, DriftTest } from "../../../src/analysis/drift-evidence.ts";
import { driftVerdict } from "../../../src/analysis/drift-verdict.ts";
import { canaryDriftEvidence } from "../../../src/analysis/agent/canary-drift.ts";
import { driftEvidenceFromSeries } from "../../../src/analysis/prometheus/drift.ts";

const specOf = (drift: Record<string, unknown>) => {
  const analysis = AnalysisSpec.parse({ interval: "1m", drift });
  return { check: planChecks(analysis)[0]!, spec: analysis.drift! };
};
const evidence = (tests: DriftTest[], rows = 1000, testable = true): { ok: true; value: DriftEvidence } =>
  ({ ok: true, value: { rows, maxPSI: Math.max(0, ...tests.map((t) => t.psi)), testable, tests } });
const t = (feature: string, pValue: number, psi = 0.05, against: DriftTest["against"] = "baseline"): DriftTest => ({ feature, against, pValue, psi });

test("defaults: false-alarm rate 0.01 and a 1000-row minimum window; old manifests with maxPSI alone still parse", () => {
  const { check, spec } = specOf({});
  assert.deepEqual(check.threshold, { min: 0.01 });
  assert.deepEqual([spec.falseAlarmRate, spec.minWindow, spec.maxPSI], [0.01, 1000, undefined]);
  assert.equal(specOf({ maxPSI: 0.25 }).spec.maxPSI, 0.25);
  assert.throws(() => AnalysisSpec.parse({ interval: "1m", drift: { falseAlarmRate: 0.5 } }));
  assert.throws(() => AnalysisSpec.parse({ interval: "1m", drift: { minWindow: 10 } }));
});

test("Bonferroni over every test of the interval: p × tests against the false-alarm rate", () => {
  const { check, spec } = specOf({});
  // 20 tests: p = 0.0004 → 0.008 < 0.01 fails; p = 0.0006 → 0.012 passes.
  const others = Array.from({ length: 19 }, (_, i) => t(`f${i}`, 0.5));
  const failed = driftVerdict(check, evidence([t("amount", 0.0004), ...others]), spec);
  assert.deepEqual([failed.status, failed.reason, failed.value], ["fail", "DriftDetected", 0.008]);
  assert.match(failed.message, /^drift detected, adjusted p-value 0\.008 is below 0\.01: amount vs the baseline \(p 0\.0004, PSI 0\.05\) \(20 tests at false-alarm rate 0\.01; window 1000 rows\)$/);
  const passed = driftVerdict(check, evidence([t("amount", 0.0006), ...others]), spec);
  assert.deepEqual([passed.status, passed.reason, passed.value], ["pass", "NoDriftDetected", 0.012]);
  assert.match(passed.message, /strongest amount vs the baseline/);
  // The same p-value with fewer tests in the family fails.
  assert.equal(driftVerdict(check, evidence([t("amount", 0.0006), t("age", 0.9)]), spec).status, "fail");
});

test("maxPSI is an effect-size floor: a significant test with a trivial PSI does not fail", () => {
  const { check, spec } = specOf({ maxPSI: 0.1 });
  const trivial = driftVerdict(check, evidence([t("amount", 1e-12, 0.02), t("age", 0.3, 0.5)]), spec);
  assert.deepEqual([trivial.status, trivial.value], ["pass", 0.6]);
  const real = driftVerdict(check, evidence([t("amount", 1e-12, 0.2), t("age", 0.3, 0.5)]), spec);
  assert.equal(real.status, "fail");
  assert.match(real.message, /PSI above 0\.1/);
  const none = driftVerdict(check, evidence([t("amount", 1e-12, 0.02)]), spec);
  assert.deepEqual([none.status, none.value], ["pass", 1]);
  assert.match(none.message, /no test cleared the PSI floor/);
});

test("windows under minWindow decide nothing; agents without counts get the PSI rule", () => {
  const { check, spec } = specOf({ minWindow: 2000 });
  const small = driftVerdict(check, evidence([], 1500), spec);
  assert.deepEqual([small.status, small.reason], ["noData", "WindowTooSmall"]);
  assert.match(small.message, /1500 rows, fewer than minWindow 2000/);
  const legacy = driftVerdict(check, { ok: true, value: { rows: 100, maxPSI: 0.3, testable: false, tests: [] } }, spec);
  assert.deepEqual([legacy.status, legacy.reason, legacy.threshold], ["fail", "DriftAboveMax", { max: 0.25 }]);
  const custom = specOf({ maxPSI: 0.4 });
  assert.equal(driftVerdict(custom.check, { ok: true, value: { rows: 100, maxPSI: 0.3, testable: false, tests: [] } }, custom.spec).status, "pass");
  const down = driftVerdict(check, { ok: false, reason: "NoAgents", message: "none" }, spec);
  assert.deepEqual([down.status, down.reason], ["noData", "NoAgents"]);
});

test("prometheus: each pod's window is tested alone, pods under minWindow left out, features × pods in the family", () => {
  const sample = (pod: string, value: number, feature?: string) => ({ labels: { pod, ...(feature === undefined ? {} : { feature }) }, value });
  const built = driftEvidenceFromSeries({
    pValues: [sample("a", 0.001, "amount"), sample("a", 0.5, "age"), sample("b", 0.2, "amount"), sample("b", 0.9, "age"), sample("c", 1e-9, "amount")],
    psi: [sample("a", 0.3, "amount"), sample("a", 0.01, "age"), sample("b", 0.05, "amount"), sample("b", 0.02, "age"), sample("c", 0.9, "amount")],
    windows: [sample("a", 1200), sample("b", 1000), sample("c", 300)],
  }, 1000);
  assert.ok(built !== undefined);
  assert.deepEqual(built.evidence.tests.map((x) => [x.pod, x.feature, x.pValue, x.psi]), [["a", "amount", 0.001, 0.3], ["a", "age", 0.5, 0.01], ["b", "amount", 0.2, 0.05], ["b", "age", 0.9, 0.02]]);
  assert.deepEqual([built.evidence.rows, built.evidence.maxPSI, built.evidence.testable], [1200, 0.9, true]);
  assert.match(built.note, /2 of 3 pods with at least 1000 rows/);
  const { check, spec } = specOf({});
  const verdict = driftVerdict(check, { ok: true, value: built.evidence }, spec);
  assert.deepEqual([verdict.status, verdict.value], ["fail", 0.004]);
  assert.match(verdict.message, /amount vs the baseline on a/);
  const small = driftEvidenceFromSeries({ pValues: [sample("c", 1e-9, "amount")], psi: [], windows: [sample("c", 300)] }, 1000);
  assert.deepEqual([small?.evidence.rows, small?.evidence.tests.length], [300, 0]);
  assert.equal(driftEvidenceFromSeries({ pValues: [], psi: [sample("a", 0.3, "amount")], windows: [sample("a", 50)] }, 1000)?.evidence.testable, false);
  assert.equal(driftEvidenceFromSeries({ pValues: [], psi: [], windows: [] }, 1000), undefined);
});

test("the canary's predictions are tested too: the same inputs answered differently than the stable revision does", () => {
  const revision = (classes: number[]) => ({
    maxPSI: 0.01, window: 2000, reporting: 2, agents: 2,
    features: [{ name: "x", psi: 0.01, pValue: 0.9, pooled: { counts: [1000, 1000], baseline: [500, 500] } }],
    prediction: { name: "class", psi: 0.05, pValue: 0.2, pooled: { counts: classes, baseline: [500, 500, 0] } },
  });
  // The baseline's outputs were split 50/50; both revisions see the same inputs, the canary answers class 0 more often.
  const { evidence, note } = canaryDriftEvidence({ canary: revision([1100, 900, 0]), stable: revision([1000, 1000, 0]), minWindow: 1000 });
  assert.deepEqual(evidence.tests.map((x) => `${x.feature} vs ${x.against}`), ["x vs baseline", "class (prediction) vs baseline", "x vs stable", "class (prediction) vs stable"]);
  assert.match(note, /compared with the baseline and the stable revision's 2000 rows/);
  const { check, spec } = specOf({});
  const verdict = driftVerdict(check, { ok: true, value: evidence }, spec);
  assert.equal(verdict.status, "fail");
  assert.match(verdict.message, /class \(prediction\) vs the stable revision/);
});
