import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ModelDeploymentObject } from "../../../src/controllers/modeldeployment/resource.ts";
import { validateBaseline, type Baseline } from "../../../src/drift/baseline.ts";
import { binLabels, driftViewOf } from "../../../src/dashboard/drift-view.ts";
import type { LiveCounts } from "../../../src/dashboard/live-drift.ts";
import { canaryMd } from "../cli/fixtures.ts";

/** A valid baseline profile (checked by the schema): two numeric features, one categorical, and a prediction profile. */
const BASELINE: Baseline = validateBaseline({
  version: 1,
  features: [
    { kind: "numeric", name: "amount", index: 0, count: 1000, edges: [10, 100.123456], proportions: [0.2, 0.5, 0.3], mean: 60, std: 40 },
    { kind: "numeric", name: "hour", index: 1, count: 1000, edges: [12], proportions: [0.5, 0.5], mean: 12, std: 6 },
    { kind: "categorical", name: "country", index: 2, count: 1000, categories: ["DE", "FR", "__other__"], proportions: [0.6, 0.3, 0.1] },
    { kind: "numeric", name: "zeta", index: 3, count: 1000, edges: [], proportions: [1], mean: 0, std: 0 },
  ],
  prediction: { kind: "categorical", name: "label", index: 0, count: 1000, categories: ["0", "1", "__other__"], proportions: [0.9, 0.1, 0] },
});

function live(features: Record<string, number[]>, extra: Partial<LiveCounts> = {}): LiveCounts {
  return { pods: 2, reporting: 2, windowSamples: 800, features: new Map(Object.entries(features)), errors: [], ...extra };
}

/** canaryMd's status.drift (amount 0.41, country 0.31, hour 0.08, …) plus a prediction entry. */
function drifted(): ModelDeploymentObject {
  const md = canaryMd();
  assert.ok(md.status?.drift !== undefined);
  md.status.drift.prediction = { name: "label", psi: 0.2, pValue: 0.003 };
  return md;
}

describe("binLabels", () => {
  it("labels numeric bins by their edges at 4 significant digits, open at both ends", () => {
    assert.deepEqual(binLabels(BASELINE.features[0]!), ["< 10", "[10, 100.1)", "≥ 100.1"]);
    assert.deepEqual(binLabels(BASELINE.features[1]!), ["< 12", "≥ 12"]);
  });

  it("labels a numeric feature without edges as one bin, and categories as themselves", () => {
    assert.deepEqual(binLabels(BASELINE.features[3]!), ["all"]);
    assert.deepEqual(binLabels(BASELINE.features[2]!), ["DE", "FR", "__other__"]);
  });
});

describe("driftViewOf", () => {
  it("shows every baseline feature and the prediction, most drifted first, untested features last in baseline order", () => {
    const view = driftViewOf(drifted(), BASELINE, undefined, []);
    assert.deepEqual(view.features.map((f) => [f.name, f.psi, f.pValue, f.prediction]), [
      ["amount", 0.41, 1.2e-9, undefined],
      ["country", 0.31, 0.0004, undefined],
      ["label", 0.2, 0.003, true],
      ["hour", 0.08, 0.02, undefined],
      ["zeta", undefined, undefined, undefined],
    ]);
  });

  it("gives each feature its kind, bins and baseline shares as the profile has them", () => {
    const view = driftViewOf(drifted(), BASELINE, undefined, []);
    const country = view.features.find((f) => f.name === "country");
    assert.deepEqual(country, { name: "country", kind: "categorical", bins: ["DE", "FR", "__other__"], baseline: [0.6, 0.3, 0.1], psi: 0.31, pValue: 0.0004 });
    for (const f of view.features) assert.ok(Math.abs(f.baseline.reduce((s, p) => s + p, 0) - 1) < 1e-9, f.name);
  });

  it("puts the live counts beside the baseline, the prediction's under its profile's name", () => {
    const counts = live({ amount: [100, 500, 200], label: [700, 100, 0], hour: [400, 400] });
    const view = driftViewOf(drifted(), BASELINE, counts, []);
    const byName = new Map(view.features.map((f) => [f.name, f.live]));
    assert.deepEqual(Object.fromEntries(byName), { amount: [100, 500, 200], country: undefined, label: [700, 100, 0], hour: [400, 400], zeta: undefined });
    assert.deepEqual(view.live, { pods: 2, reporting: 2, windowSamples: 800, errors: [] });
  });

  it("leaves out live counts whose bins do not match the baseline's", () => {
    const view = driftViewOf(drifted(), BASELINE, live({ amount: [1, 2], hour: [1, 2, 3] }), []);
    for (const f of view.features) assert.equal("live" in f, false, f.name);
  });

  it("carries status.drift's revision, time and window, and the notes as given", () => {
    const view = driftViewOf(drifted(), BASELINE, live({}, { pods: 3, reporting: 1, errors: ["pod x: timeout"] }), ["No complete window yet"]);
    assert.equal(view.revision, "aaaa111111");
    assert.equal(view.evaluatedAt, canaryMd().status?.drift?.evaluatedAt);
    assert.equal(view.statusWindow, 800);
    assert.deepEqual(view.live, { pods: 3, reporting: 1, windowSamples: 800, errors: ["pod x: timeout"] });
    assert.deepEqual(view.notes, ["No complete window yet"]);
  });

  it("without a baseline shows no features, only the notes and status.drift's facts", () => {
    const view = driftViewOf(drifted(), undefined, live({ amount: [1, 2, 3] }), ["No baseline ConfigMap fraud-baseline"]);
    assert.deepEqual(view.features, []);
    assert.deepEqual(view.notes, ["No baseline ConfigMap fraud-baseline"]);
    assert.equal(view.revision, "aaaa111111");
  });

  it("without status.drift or live counts draws the baseline alone, with zero pods", () => {
    const md = canaryMd();
    delete md.status?.drift;
    const view = driftViewOf(md, BASELINE, undefined, []);
    assert.deepEqual(view.live, { pods: 0, reporting: 0, windowSamples: 0, errors: [] });
    assert.equal(["revision", "evaluatedAt", "statusWindow"].some((k) => k in view), false);
    assert.deepEqual(view.features.map((f) => f.name), ["amount", "hour", "country", "zeta", "label"]);
    assert.ok(view.features.every((f) => f.psi === undefined && f.live === undefined));
  });
});
