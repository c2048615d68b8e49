// The load generator's split is deterministic: smooth weighted round-robin gives the same
// sequence for the same weights, exact shares over a cycle, and no picks for a zero weight.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { WeightedRoundRobin } from "../../support/e2e/weighted-load.ts";

const picks = (weights: Record<string, number>, n: number, rr = new WeightedRoundRobin()): string[] =>
  Array.from({ length: n }, () => rr.pick(new Map(Object.entries(weights))) ?? "-");

test("50/50 alternates, 75/25 sends every fourth request to the 25, 100/0 sends everything to one", () => {
  assert.deepEqual(picks({ a: 50, b: 50 }, 6), ["a", "b", "a", "b", "a", "b"]);
  assert.deepEqual(picks({ a: 25, b: 75 }, 8), ["b", "a", "b", "b", "b", "a", "b", "b"]);
  assert.deepEqual(picks({ a: 100, b: 0 }, 3), ["a", "a", "a"]);
  assert.deepEqual(picks({ a: 0 }, 2), ["-", "-"]);
});

test("shares are exact over every 100 picks, whatever the weights", () => {
  for (const w of [1, 10, 25, 33, 50, 75, 99]) {
    const got = picks({ stable: 100 - w, canary: w }, 300).filter((p) => p === "canary").length;
    assert.equal(got, 3 * w, `weight ${w}`);
  }
});
