import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PredictionStore, type PredictionStoreOptions } from "../../../src/agent/feedback/prediction-store.ts";

const store = (options: Partial<PredictionStoreOptions> = {}) =>
  new PredictionStore({ maxEntries: options.maxEntries ?? 100, ttlMs: options.ttlMs ?? 1000, maxRowsPerEntry: options.maxRowsPerEntry ?? 100 });

describe("PredictionStore", () => {
  it("hands an entry out once", () => {
    const s = store();
    assert.equal(s.remember("r1", [1, "cat"], 0), 2);
    assert.deepEqual(s.take("r1", 10), { predictions: [1, "cat"], rows: 2, storedAtMs: 0 });
    assert.equal(s.take("r1", 20), undefined);
    assert.equal(s.size, 0);
    assert.equal(s.take("never-served", 20), undefined);
  });

  it("peek leaves the entry in place", () => {
    const s = store();
    s.remember("r1", [1], 0);
    assert.deepEqual(s.peek("r1", 1)?.predictions, [1]);
    assert.deepEqual(s.take("r1", 2)?.predictions, [1]);
  });

  it("keeps an entry up to and including storedAt + ttlMs, not a millisecond more", () => {
    const s = store({ ttlMs: 1000 });
    s.remember("a", [1], 5000);
    s.remember("b", [2], 5000);
    assert.deepEqual(s.take("a", 6000)?.predictions, [1]);
    assert.equal(s.take("b", 6001), undefined);
    assert.equal(s.expired, 1);
    assert.equal(s.size, 0);
  });

  it("drops expired entries from the head on later calls, without their ids being asked for", () => {
    const s = store({ ttlMs: 100 });
    s.remember("a", [1], 0);
    s.remember("b", [1], 50);
    s.remember("c", [1], 200);
    assert.equal(s.size, 1);
    assert.equal(s.expired, 2);
    assert.equal(s.evicted, 0);
  });

  it("drops a bounded number of expired entries per call, never returning the rest", () => {
    const s = store({ ttlMs: 10, maxEntries: 1000 });
    for (let i = 0; i < 100; i++) s.remember(`r${i}`, [i], 0);
    s.remember("new", [1], 100);
    assert.ok(s.expired > 0 && s.expired < 100, `expired ${s.expired} in one call`);
    assert.equal(s.peek("r99", 100), undefined);
    for (let i = 0; i < 10; i++) s.peek("new", 100);
    assert.equal(s.expired, 100);
    assert.equal(s.size, 1);
  });

  it("evicts the oldest entries past maxEntries and counts them", () => {
    const s = store({ maxEntries: 3 });
    for (const [i, id] of ["a", "b", "c", "d", "e"].entries()) s.remember(id, [i], i);
    assert.equal(s.evicted, 2);
    assert.equal(s.expired, 0);
    assert.equal(s.size, 3);
    assert.equal(s.take("a", 10), undefined);
    assert.equal(s.take("b", 10), undefined);
    assert.deepEqual(["c", "d", "e"].map((id) => s.take(id, 10)?.predictions[0]), [2, 3, 4]);
  });

  it("treats an id remembered again as new: replaced and moved to the back", () => {
    const s = store({ maxEntries: 2 });
    s.remember("a", [1], 0);
    s.remember("b", [2], 1);
    s.remember("a", [3], 2);
    s.remember("c", [4], 3);
    assert.equal(s.take("b", 4), undefined);
    assert.deepEqual(s.take("a", 4)?.predictions, [3]);
    assert.equal(s.evicted, 1);
  });

  it("clamps a clock that goes back, so a later entry never expires before an earlier one", () => {
    const s = store({ ttlMs: 100 });
    s.remember("a", [1], 1000);
    s.remember("b", [2], 500);
    assert.deepEqual(s.take("b", 1050)?.predictions, [2]);
    assert.deepEqual(s.take("a", 1100)?.predictions, [1]);
  });

  it("keeps at most maxRowsPerEntry predictions, but remembers how many rows there were", () => {
    const s = store({ maxRowsPerEntry: 3 });
    assert.equal(s.remember("r", [1, 2, 3, 4, 5], 0), 3);
    assert.equal(s.droppedRows, 2);
    assert.deepEqual(s.take("r", 0), { predictions: [1, 2, 3], rows: 5, storedAtMs: 0 });
  });

  it("does not remember a request without rows", () => {
    const s = store();
    assert.equal(s.remember("r", [], 0), 0);
    assert.equal(s.size, 0);
  });

  it("keeps its own copy of the predictions", () => {
    const s = store();
    const predictions = [1, 2];
    s.remember("r", predictions, 0);
    predictions[0] = 9;
    assert.deepEqual(s.take("r", 0)?.predictions, [1, 2]);
  });

  it("rejects bounds that cannot hold anything", () => {
    assert.throws(() => store({ maxEntries: 0 }), RangeError);
    assert.throws(() => store({ maxRowsPerEntry: 1.5 }), RangeError);
    assert.throws(() => store({ ttlMs: 0 }), RangeError);
  });
});
