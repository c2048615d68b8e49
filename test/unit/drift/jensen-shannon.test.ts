import { strict as assert } from "node:assert";
import { test } from "node:test";
import { jensenShannonDistance } from "../../../src/drift/jensen-shannon.ts";
import { assertClose } from "./assert-close.ts";

test("JS distance is 0 for identical and 1 for disjoint distributions", () => {
  assert.equal(jensenShannonDistance([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
  assert.equal(jensenShannonDistance([1, 0], [0, 1]), 1);
  assert.equal(jensenShannonDistance([0.5, 0.5, 0, 0], [0, 0, 0.25, 0.75]), 1);
});

test("JS distance by hand", () => {
  // P = (0.5, 0.5), Q = (1, 0), M = (0.75, 0.25)
  // KL(P‖M) = 0.5·log₂(0.5/0.75) + 0.5·log₂(0.5/0.25) = 0.5·(−0.5849625007211562) + 0.5·1 = 0.2075187496394219
  // KL(Q‖M) = 1·log₂(1/0.75) = 0.4150374992788438
  // JSD = (0.2075187496394219 + 0.4150374992788438) / 2 = 0.31127812445913283
  // distance = √0.31127812445913283 = 0.5579230452841438
  assertClose(jensenShannonDistance([0.5, 0.5], [1, 0]), 0.5579230452841438);
  assertClose(jensenShannonDistance([1, 0], [0.5, 0.5]), 0.5579230452841438);
});

test("JS distance stays in [0, 1] and propagates NaN", () => {
  assert.throws(() => jensenShannonDistance([1], [0.5, 0.5]), RangeError);
  assert.ok(Number.isNaN(jensenShannonDistance([0.5, 0.5], [Number.NaN, Number.NaN])));
  const d = jensenShannonDistance([0.999999, 0.000001], [0.000001, 0.999999]);
  assert.ok(d > 0.99 && d <= 1);
});
