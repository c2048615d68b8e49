import { strict as assert } from "node:assert";
import { test } from "node:test";
import { binnedKolmogorovSmirnov } from "../../../src/drift/kolmogorov-smirnov.ts";
import { assertClose } from "./assert-close.ts";

test("binned KS by hand", () => {
  // e = (0.2, 0.3, 0.5) → CDF (0.2, 0.5, 1.0); a = (0.5, 0.3, 0.2) → CDF (0.5, 0.8, 1.0)
  // gaps |0.2 − 0.5| = 0.3, |0.5 − 0.8| = 0.3, |1 − 1| = 0 → D = 0.3
  assertClose(binnedKolmogorovSmirnov([0.2, 0.3, 0.5], [0.5, 0.3, 0.2]), 0.3);
  // e = (0.25, 0.25, 0.25, 0.25) → CDF (0.25, 0.5, 0.75, 1); a = (0, 0.1, 0.4, 0.5) → CDF (0, 0.1, 0.5, 1)
  // gaps 0.25, 0.4, 0.25, 0 → D = 0.4
  assertClose(binnedKolmogorovSmirnov([0.25, 0.25, 0.25, 0.25], [0, 0.1, 0.4, 0.5]), 0.4);
});

test("binned KS is 0 for equal and 1 for disjoint distributions", () => {
  assert.equal(binnedKolmogorovSmirnov([0.1, 0.9], [0.1, 0.9]), 0);
  assert.equal(binnedKolmogorovSmirnov([1, 0], [0, 1]), 1);
  assert.throws(() => binnedKolmogorovSmirnov([1], [0.5, 0.5]), RangeError);
  assert.ok(Number.isNaN(binnedKolmogorovSmirnov([1, 0], [Number.NaN, Number.NaN])));
});
