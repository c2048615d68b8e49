import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ownsRow } from "../../../src/batch/sharding.ts";

describe("ownsRow", () => {
  it("gives shard i of n the rows r with r % n == i", () => {
    const rows = (index: number): number[] => Array.from({ length: 10 }, (_v, r) => r).filter((r) => ownsRow({ index, count: 3 }, r));
    assert.deepEqual(rows(0), [0, 3, 6, 9]);
    assert.deepEqual(rows(1), [1, 4, 7]);
    assert.deepEqual(rows(2), [2, 5, 8]);
  });
  it("partitions the rows: every row in exactly one shard", () => {
    for (const count of [1, 2, 5, 7]) {
      for (let r = 0; r < 100; r++) {
        const owners = Array.from({ length: count }, (_v, index) => index).filter((index) => ownsRow({ index, count }, r));
        assert.equal(owners.length, 1);
      }
    }
  });
});
