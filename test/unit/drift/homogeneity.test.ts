import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideDrift, poolCounts } from "../../../src/drift/drift-decision.ts";
import { baselineCounts, homogeneityTest } from "../../../src/drift/homogeneity.ts";
import { assertClose } from "./assert-close.ts";

describe("homogeneityTest", () => {
  // Expected values: scipy.stats.chi2_contingency([window, baseline] without all-zero columns,
  // correction=False), scipy 1.x, computed once and pasted here.
  const cases = [
    { window: [30, 25, 20, 25], baseline: [260, 240, 250, 250], statistic: 1.5153859129135638, df: 3, p: 0.6787238496243442 },
    { window: [0, 12, 40, 48, 0], baseline: [100, 100, 300, 500, 0], statistic: 13.371312028461016, df: 3, p: 0.003898707123741479 },
    { window: [5, 0, 0, 95], baseline: [50, 50, 0, 900], statistic: 5.251256281407036, df: 2, p: 0.0723942689622557 },
  ];
  for (const c of cases) {
    it(`matches scipy's chi2_contingency for ${JSON.stringify(c.window)} vs ${JSON.stringify(c.baseline)} (bins empty in both dropped)`, () => {
      const r = homogeneityTest(c.window, c.baseline);
      assertClose(r.statistic, c.statistic, 1e-12);
      assert.equal(r.degreesOfFreedom, c.df);
      assertClose(r.pValue, c.p, 1e-9);
    });
  }

  it("a category the baseline never saw is strong evidence, finite; identical shares give χ² = 0 and p = 1", () => {
    const r = homogeneityTest([450, 450, 100], [5000, 5000, 0]);
    assert.ok(Number.isFinite(r.statistic) && r.pValue < 1e-20);
    const same = homogeneityTest([100, 200, 300], [1000, 2000, 3000]);
    assert.equal(same.statistic, 0);
    assertClose(same.pValue, 1, 1e-12);
  });

  it("says nothing without values on either side, or with one non-empty bin", () => {
    assert.ok(Number.isNaN(homogeneityTest([0, 0], [5, 5]).pValue));
    assert.ok(Number.isNaN(homogeneityTest([5, 5], [0, 0]).pValue));
    assert.deepEqual([homogeneityTest([7, 0], [9, 0]).pValue, homogeneityTest([7, 0], [9, 0]).degreesOfFreedom], [1, 0]);
    assert.throws(() => homogeneityTest([1, 2], [1, 2, 3]), RangeError);
  });

  it("takes a profile's counts as count × proportion", () => {
    assert.deepEqual([...baselineCounts({ count: 1000, proportions: [0.25, 0.75] })], [250, 750]);
  });
});

describe("decideDrift", () => {
  const evidence = (name: string, pValue: number | null, psi = 0.1) => ({ name, pValue, psi, samples: 1000 });
  const options = { falseAlarmRate: 0.01, minWindow: 1000, minPsi: 0, tests: 20 };

  it("flags a feature below α / tests (Bonferroni), strongest first; a window under minWindow decides nothing", () => {
    const features = [evidence("a", 0.0004), evidence("b", 0.0006), evidence("c", 1e-9), evidence("d", null)];
    const decision = decideDrift(features, 1000, options);
    assert.ok(decision.decided);
    assert.equal(decision.threshold, 0.0005);
    assert.deepEqual(decision.drifted.map((f) => f.name), ["c", "a"]);
    const small = decideDrift(features, 999, options);
    assert.equal(small.decided, false);
  });

  it("with minPsi, a significant but tiny effect is not flagged", () => {
    const decision = decideDrift([evidence("big", 1e-12, 0.3), evidence("trivia", 1e-12, 0.005)], 1_000_000, { ...options, minPsi: 0.02 });
    assert.ok(decision.decided);
    assert.deepEqual(decision.drifted.map((f) => f.name), ["big"]);
  });

  it("pools pods' counts bin by bin, refusing mismatched bins", () => {
    assert.deepEqual([...poolCounts([[1, 2], [3, 4], [5, 6]])], [9, 12]);
    assert.throws(() => poolCounts([[1, 2], [1]]), RangeError);
  });
});
