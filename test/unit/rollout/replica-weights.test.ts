import { strict as assert } from "node:assert";
import { test } from "node:test";
import { achievedWeight, splitReplicas } from "../../../src/rollout/replica-weights.ts";

test("splitReplicas: table of budgets and weights, achieved weight reported", () => {
  const cases: [weight: number, budget: number, stable: number, canary: number, achieved: number][] = [
    [10, 4, 3, 1, 25], // 10% is not reachable with 4 replicas: 1 of 4 is 25%, and we say so
    [10, 10, 9, 1, 10],
    [50, 4, 2, 2, 50],
    [20, 3, 2, 1, 33],
    [0, 4, 4, 0, 0],
    [100, 4, 0, 4, 100],
    [1, 4, 3, 1, 25], // minimum one canary replica when weight > 0
    [99, 4, 1, 3, 75], // minimum one stable replica when weight < 100, within the budget
    [10, 1, 1, 1, 50], // a single replica cannot be split: 1 + 1
    [100, 1, 0, 1, 100],
    [0, 1, 1, 0, 0],
    [10, 0, 1, 1, 50], // budget below 1 treated as 1
    [25, 7, 5, 2, 29], // rounding: 1.75 → 2 canary replicas
  ];
  for (const [weight, budget, stable, canary, achieved] of cases) {
    assert.deepEqual(splitReplicas(weight, budget), { stableReplicas: stable, canaryReplicas: canary, achievedWeight: achieved }, `weight ${weight}, budget ${budget}`);
  }
});

test("splitReplicas: for every weight and budget the reported weight is the real ratio, and the budget holds", () => {
  for (let budget = 1; budget <= 20; budget++) {
    for (let weight = 0; weight <= 100; weight++) {
      const { stableReplicas: s, canaryReplicas: c, achievedWeight: w } = splitReplicas(weight, budget);
      const label = `weight ${weight}, budget ${budget}`;
      assert.equal(w, Math.round((100 * c) / (s + c)), label);
      assert.ok(weight === 0 ? c === 0 : c >= 1, label);
      assert.ok(weight === 100 ? s === 0 : s >= 1, label);
      assert.ok(s + c === budget || (budget === 1 && s + c === 2), `${label}: total ${s + c}`);
      if (weight > 0 && weight < 100 && budget >= 2) {
        // the closest split of the budget: no other canary count is nearer the desired weight
        const best = Math.min(...Array.from({ length: budget - 1 }, (_, i) => Math.abs((100 * (i + 1)) / budget - weight)));
        assert.ok(Math.abs((100 * c) / budget - weight) <= best + 1e-9, `${label}: ${c} canary replicas is not the closest split`);
      }
    }
  }
});

test("achievedWeight: from ready counts, 0 when nothing is ready", () => {
  assert.equal(achievedWeight(3, 1), 25);
  assert.equal(achievedWeight(0, 0), 0);
  assert.equal(achievedWeight(0, 2), 100);
  assert.equal(achievedWeight(2, 1), 33);
});
