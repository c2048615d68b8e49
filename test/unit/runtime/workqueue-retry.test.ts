import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock, settle } from "../../../src/runtime/clock.ts";
import { TerminalError } from "../../../src/runtime/errors.ts";
import { ExponentialBackoff, MaxOf, TokenBucket } from "../../../src/runtime/rate-limiters.ts";
import type { Reconcile, Result } from "../../../src/runtime/reconcile.ts";
import type { WorkQueueHooks } from "../../../src/runtime/workqueue-hooks.ts";
import { WorkQueue, type WorkQueueOptions } from "../../../src/runtime/workqueue.ts";

/** A queue whose reconcile plays `script` (an error to throw, or a result) and records run times. */
function scripted(script: (Error | Result)[], options: Partial<WorkQueueOptions> = {}) {
  const hooks: WorkQueueHooks = options.hooks ?? {};
  const clock = new ManualClock();
  const times: number[] = [];
  const errors: { error: unknown; retries: number }[] = [];
  const reconcile: Reconcile = (_key) => {
    times.push(clock.now());
    const step = script.shift();
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const queue = new WorkQueue({
    reconcile,
    clock,
    ...options,
    hooks: { ...hooks, onError: (_key, error, retries) => errors.push({ error, retries }) },
  });
  queue.start();
  return { clock, queue, times, errors };
}

test("a failing key is retried after 5, 10, 20 ms, and its backoff resets on success", async () => {
  const fail = new Error("conflict");
  const { clock, queue, times, errors } = scripted([fail, fail, fail, undefined, fail, undefined]);
  queue.add("ns/a");
  await clock.runFor(1000);
  assert.deepEqual(times, [0, 5, 15, 35]);
  assert.deepEqual(errors.map((e) => e.retries), [0, 1, 2]);
  assert.ok(errors.every((e) => e.error === fail));
  queue.add("ns/a");
  await clock.runFor(1000);
  assert.deepEqual(times.slice(4), [1000, 1005], "after a success the next failure waits 5 ms again");
});

test("requeueAfter runs the key again after that time and forgets its backoff", async () => {
  const fail = new Error("not ready");
  const { clock, queue, times } = scripted([fail, fail, { requeueAfter: 30_000 }, fail, undefined]);
  queue.add("a");
  await clock.runFor(60_000);
  assert.deepEqual(times, [0, 5, 15, 30_015, 30_020]);
  assert.equal(clock.pendingTimers, 0, "success schedules nothing");
});

test("addAfter collapses: only the earliest pending time per key runs", async () => {
  const { clock, queue, times } = scripted([undefined, undefined, undefined]);
  queue.addAfter("a", 100);
  queue.addAfter("a", 50);
  queue.addAfter("a", 200);
  await clock.runFor(1000);
  assert.deepEqual(times, [50]);
});

test("an earlier add does not cancel a pending addAfter of the same key", async () => {
  const { clock, queue, times } = scripted([undefined, undefined]);
  queue.addAfter("a", 100);
  queue.add("a");
  await clock.runFor(1000);
  assert.deepEqual(times, [0, 100]);
});

test("addAfter with a delay of zero or less adds at once", async () => {
  const { clock, queue, times } = scripted([undefined, undefined]);
  queue.addAfter("a", 0);
  queue.addAfter("b", -5);
  await settle();
  assert.deepEqual(times, [0, 0]);
  assert.equal(clock.pendingTimers, 0);
});

test("a terminal error, thrown or as a cause, is recorded once and never retried", async () => {
  const terminals: unknown[] = [];
  const terminal = new TerminalError("spec.model.format is not supported");
  const wrapped = new Error("Validating spec failed", { cause: terminal });
  const { clock, queue, times, errors } = scripted([new Error("flaky"), terminal, wrapped], {
    hooks: { onTerminalError: (_key, error) => terminals.push(error) },
  });
  queue.add("a");
  await clock.runFor(3_600_000);
  assert.deepEqual(times, [0, 5]);
  assert.deepEqual(terminals, [terminal]);
  assert.deepEqual(errors.map((e) => e.error), [errors[0]?.error, terminal], "onError logs terminal errors too");
  assert.equal(clock.pendingTimers, 0);
  queue.add("a");
  await clock.runFor(3_600_000);
  assert.deepEqual(times, [0, 5, 3_600_000], "only a later add runs it again");
  assert.deepEqual(terminals, [terminal, wrapped]);
});

test("a terminal error resets the key's backoff", async () => {
  const fail = new Error("flaky");
  const { clock, queue, times, errors } = scripted([fail, fail, new TerminalError("bad"), fail]);
  queue.add("a");
  await clock.runFor(1000);
  queue.add("a");
  await clock.runFor(1000);
  assert.deepEqual(times, [0, 5, 15, 1000, 1005]);
  assert.deepEqual(errors.map((e) => e.retries), [0, 1, 2, 0]);
});

test("an invalid requeueAfter is reported as an error and retried with backoff", async () => {
  const { clock, queue, times, errors } = scripted([{ requeueAfter: -1 }, undefined]);
  queue.add("a");
  await clock.runFor(100);
  assert.deepEqual(times, [0, 5]);
  assert.ok(errors[0]?.error instanceof RangeError);
});

test("the overall token bucket limits retries of many failing keys", async () => {
  const clock = new ManualClock();
  const delays: number[] = [];
  const queue = new WorkQueue({
    clock,
    workers: 10,
    rateLimiter: new MaxOf(new ExponentialBackoff(), new TokenBucket(clock, { qps: 10, burst: 2 })),
    reconcile: () => Promise.reject(new Error("down")),
    hooks: { onRetry: (_key, delayMs) => delays.push(delayMs) },
  });
  queue.start();
  for (const key of ["a", "b", "c", "d", "e"]) queue.add(key);
  await settle();
  assert.deepEqual(delays, [5, 5, 100, 200, 300]);
  await queue.shutdown({ drain: false });
});
