import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QualityTracker, normaliseLabel, numericValue, type LabelValue } from "../../../src/agent/feedback/quality.ts";

describe("normaliseLabel", () => {
  it("gives numbers and numeric strings their shortest number form", () => {
    const same: [LabelValue, LabelValue][] = [
      [1, "1"],
      [1.0, "1.0"],
      [1, "01"],
      [1, "1e0"],
      [-0, "0"],
      [2.5, "2.50"],
      [0.5, ".5"],
      ["+3", 3],
    ];
    for (const [a, b] of same) assert.equal(normaliseLabel(a), normaliseLabel(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(normaliseLabel("1.0"), "1");
  });

  it("compares other strings exactly", () => {
    const different: [LabelValue, LabelValue][] = [
      ["Cat", "cat"],
      [" 1", "1"],
      ["1a", 1],
      ["", 0],
      ["0x1", 1],
      ["Infinity", "1e999"],
    ];
    for (const [a, b] of different) assert.notEqual(normaliseLabel(a), normaliseLabel(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(normaliseLabel("cat"), "cat");
  });

  it("reads numbers only from decimal literals", () => {
    assert.equal(numericValue("-2.5e1"), -25);
    assert.equal(numericValue("0x10"), undefined);
    assert.equal(numericValue(""), undefined);
    assert.equal(numericValue("1e999"), undefined);
  });
});

describe("QualityTracker: classification", () => {
  it("gives the accuracy computed offline from the same list", () => {
    const predictions: LabelValue[] = ["cat", "dog", 1, "1", 0, "bird", "cat", 2, "dog", "cat"];
    const labels: LabelValue[] = ["cat", "cat", "1", 1.0, 0, "Bird", "cat", 2, "dog", "dog"];
    const tracker = new QualityTracker("classification");
    for (const [i, p] of predictions.entries()) assert.equal(tracker.add(p, labels[i] ?? ""), true);
    // Wrong: dog/cat, bird/Bird, cat/dog: 7 of 10.
    assert.deepEqual(tracker.snapshot(), { kind: "classification", total: 10, correct: 7, invalid: 0, accuracy: 0.7 });
  });

  it("has no accuracy before the first pair", () => {
    assert.deepEqual(new QualityTracker("classification").snapshot(), { kind: "classification", total: 0, correct: 0, invalid: 0, accuracy: undefined });
  });

  it("keeps cumulative totals, so the difference of two snapshots is the interval's", () => {
    const tracker = new QualityTracker("classification");
    for (const [p, l] of [[1, 1], [1, 1], [1, 1], [0, 1]]) tracker.add(p ?? 0, l ?? 0);
    const first = tracker.snapshot();
    for (const [p, l] of [[1, 0], [1, 0], [0, 0], [1, 0]]) tracker.add(p ?? 0, l ?? 0);
    const second = tracker.snapshot();
    assert.ok(first.kind === "classification" && second.kind === "classification");
    assert.deepEqual([first.total, first.correct], [4, 3]);
    assert.deepEqual([second.total, second.correct], [8, 4]);
    assert.equal((second.correct - first.correct) / (second.total - first.total), 0.25);
  });
});

describe("QualityTracker: regression", () => {
  it("gives MAE and RMSE as computed by hand", () => {
    const tracker = new QualityTracker("regression");
    // Absolute errors 0.5, 1, 2, 0: sum 3.5, squares 0.25 + 1 + 4 + 0 = 5.25.
    const pairs: [LabelValue, LabelValue][] = [[3, 2.5], [0, 1], [5, 7], ["4", 4]];
    for (const [p, l] of pairs) assert.equal(tracker.add(p, l), true);
    assert.deepEqual(tracker.snapshot(), {
      kind: "regression",
      count: 4,
      absoluteErrorSum: 3.5,
      squaredErrorSum: 5.25,
      invalid: 0,
      mae: 0.875,
      rmse: Math.sqrt(1.3125),
    });
  });

  it("counts non-numeric pairs and overflowing errors as invalid, leaving the totals alone", () => {
    const tracker = new QualityTracker("regression");
    tracker.add(1, 3);
    assert.equal(tracker.add("cat", 1), false);
    assert.equal(tracker.add(1, "n/a"), false);
    assert.equal(tracker.add(1e300, -1e300), false);
    assert.equal(tracker.add(1e200, 0), false);
    const snapshot = tracker.snapshot();
    assert.ok(snapshot.kind === "regression");
    assert.deepEqual([snapshot.count, snapshot.invalid, snapshot.absoluteErrorSum, snapshot.squaredErrorSum], [1, 4, 2, 4]);
    assert.equal(snapshot.rmse, 2);
  });

  it("has no MAE or RMSE before the first scored pair", () => {
    const tracker = new QualityTracker("regression");
    tracker.add("x", 1);
    const snapshot = tracker.snapshot();
    assert.ok(snapshot.kind === "regression");
    assert.equal(snapshot.mae, undefined);
    assert.equal(snapshot.rmse, undefined);
    assert.equal(snapshot.invalid, 1);
  });
});
