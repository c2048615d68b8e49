import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConcurrencyLimit } from "../../../src/agent/concurrency.ts";

describe("ConcurrencyLimit", () => {
  it("admits up to max and frees slots on release", () => {
    const limit = new ConcurrencyLimit(2);
    assert.equal(limit.tryAcquire(), true);
    assert.equal(limit.tryAcquire(), true);
    assert.equal(limit.tryAcquire(), false);
    assert.equal(limit.inFlight, 2);
    limit.release();
    assert.equal(limit.tryAcquire(), true);
  });
  it("is unlimited without a max and never goes below zero", () => {
    const limit = new ConcurrencyLimit(undefined);
    for (let i = 0; i < 10_000; i++) assert.equal(limit.tryAcquire(), true);
    const empty = new ConcurrencyLimit(1);
    empty.release();
    assert.equal(empty.inFlight, 0);
  });
});
