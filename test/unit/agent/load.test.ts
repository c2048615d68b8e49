import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LoadMeter } from "../../../src/agent/load.ts";

/** A hand-moved clock in milliseconds. */
function manualClock(start = 0): { now: () => number; set(ms: number): void } {
  let ms = start;
  return { now: () => ms, set: (value) => (ms = value) };
}

describe("LoadMeter", () => {
  it("integrates requests in flight over time: 2 for 1 s, then 1 for 2 s is 4 concurrency-seconds", () => {
    const clock = manualClock(10_000);
    const meter = new LoadMeter(clock.now);
    meter.start();
    meter.start();
    clock.set(11_000);
    meter.end();
    clock.set(13_000);
    meter.end();
    assert.deepEqual(meter.snapshot(), { inFlight: 0, concurrencySeconds: 4, requests: 2, monotonicMs: 13_000 });
    clock.set(20_000);
    assert.deepEqual(meter.snapshot(), { inFlight: 0, concurrencySeconds: 4, requests: 2, monotonicMs: 20_000 }, "idle time adds nothing");
  });

  it("brings the integral up to now when read, without waiting for a change", () => {
    const clock = manualClock();
    const meter = new LoadMeter(clock.now);
    meter.start();
    meter.start();
    meter.start();
    clock.set(1500);
    assert.deepEqual(meter.snapshot(), { inFlight: 3, concurrencySeconds: 4.5, requests: 3, monotonicMs: 1500 });
    clock.set(2000);
    assert.equal(meter.concurrencySeconds(), 6);
  });

  it("gives exact averages between two snapshots", () => {
    const clock = manualClock();
    const meter = new LoadMeter(clock.now);
    clock.set(1000);
    const first = meter.snapshot();
    // 4 requests over 2 s: one lasts 2 s, three last 0.5 s each → 3.5 concurrency-seconds.
    meter.start();
    for (let i = 0; i < 3; i++) meter.start();
    clock.set(1500);
    for (let i = 0; i < 3; i++) meter.end();
    clock.set(3000);
    meter.end();
    const second = meter.snapshot();
    const seconds = (second.monotonicMs - first.monotonicMs) / 1000;
    assert.equal(seconds, 2);
    assert.equal((second.concurrencySeconds - first.concurrencySeconds) / seconds, 1.75);
    assert.equal((second.requests - first.requests) / seconds, 2);
  });

  it("counts requests when they start, not when they end", () => {
    const clock = manualClock();
    const meter = new LoadMeter(clock.now);
    meter.start();
    assert.equal(meter.snapshot().requests, 1);
    meter.end();
    meter.start();
    assert.deepEqual(meter.snapshot(), { inFlight: 1, concurrencySeconds: 0, requests: 2, monotonicMs: 0 });
  });

  it("never lets a snapshot go back in time, even when the clock steps back", () => {
    const clock = manualClock(5000);
    const meter = new LoadMeter(clock.now);
    meter.start();
    clock.set(6000);
    const before = meter.snapshot();
    clock.set(4000);
    const after = meter.snapshot();
    assert.equal(after.monotonicMs, 6000);
    assert.equal(after.concurrencySeconds, before.concurrencySeconds);
    clock.set(7000);
    assert.equal(meter.snapshot().concurrencySeconds, 2, "counts from the latest reading, not the stepped-back one");
  });

  it("ignores an end() without a start(): in-flight never goes negative", () => {
    const clock = manualClock();
    const meter = new LoadMeter(clock.now);
    meter.end();
    meter.start();
    clock.set(1000);
    assert.deepEqual(meter.snapshot(), { inFlight: 1, concurrencySeconds: 1, requests: 1, monotonicMs: 1000 });
  });

  it("reads performance.now() by default", () => {
    const before = performance.now();
    const snapshot = new LoadMeter().snapshot();
    assert.ok(snapshot.monotonicMs >= before && snapshot.monotonicMs <= performance.now());
  });
});
