import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock, settle } from "../../../src/runtime/clock.ts";
import { ShutdownError } from "../../../src/runtime/errors.ts";
import { type ShutdownReport, WorkQueue } from "../../../src/runtime/workqueue.ts";
import { HeldReconcile } from "./held-reconcile.ts";

function setup(workers = 1): { clock: ManualClock; held: HeldReconcile; queue: WorkQueue } {
  const clock = new ManualClock();
  const held = new HeldReconcile(clock);
  const queue = new WorkQueue({ reconcile: held.reconcile, workers, clock });
  return { clock, held, queue };
}

/** Tracks whether a promise has settled, without awaiting it. */
function watch<T>(promise: Promise<T>): { done: () => boolean; value: () => T | undefined } {
  let settled = false;
  let value: T | undefined;
  void promise.then((v) => {
    settled = true;
    value = v;
  });
  return { done: () => settled, value: () => value };
}

test("shutdown lets the running reconcile finish, starts nothing else, and drops new adds", async () => {
  const { clock, held, queue } = setup(1);
  queue.start();
  queue.add("a");
  queue.add("b");
  queue.addAfter("c", 10);
  await settle();
  const stopped = watch(queue.shutdown({ timeoutMs: 60_000 }));
  assert.equal(clock.pendingTimers, 1, "only the drain timer: the delayed add is cancelled");
  assert.equal(queue.add("d"), false);
  assert.equal(queue.addAfter("e", 5), false);
  assert.equal(queue.add("a"), false, "not even marked dirty");
  await clock.runFor(1000);
  assert.equal(stopped.done(), false, "still draining");
  held.last("a").finish();
  await settle();
  assert.equal(stopped.done(), true);
  assert.deepEqual(stopped.value(), { aborted: [] });
  await clock.runFor(1000);
  assert.deepEqual(held.keys(), ["a"]);
  assert.equal(held.last("a").signal.aborted, false);
  assert.equal(queue.depth, 0);
  assert.equal(clock.pendingTimers, 0, "the drain timer is cancelled once drained");
});

test("a failure or requeue during the drain schedules nothing", async () => {
  const { clock, held, queue } = setup(2);
  queue.start();
  queue.add("a");
  queue.add("b");
  await settle();
  const stopped = queue.shutdown();
  held.last("a").fail(new Error("conflict"));
  held.last("b").finish({ requeueAfter: 10 });
  assert.deepEqual(await stopped, { aborted: [] });
  await clock.runFor(1000);
  assert.equal(held.calls.length, 2);
  assert.equal(clock.pendingTimers, 0);
});

test("when the drain timeout passes, running reconciles are aborted with a ShutdownError", async () => {
  const { clock, held, queue } = setup(2);
  queue.start();
  queue.add("a");
  queue.add("b");
  await settle();
  held.last("b").finish();
  await settle();
  const stopped = watch(queue.shutdown({ timeoutMs: 1000 }));
  await clock.runFor(999);
  assert.equal(stopped.done(), false);
  assert.equal(held.last("a").signal.aborted, false);
  await clock.runFor(1);
  assert.equal(stopped.done(), true);
  assert.deepEqual(stopped.value(), { aborted: ["a"] });
  assert.ok(held.last("a").signal.reason instanceof ShutdownError);
});

test("shutdown without drain aborts running reconciles at once", async () => {
  const { held, queue } = setup(1);
  queue.start();
  queue.add("a");
  await settle();
  const report: ShutdownReport = await queue.shutdown({ drain: false });
  assert.deepEqual(report, { aborted: ["a"] });
  assert.equal(held.last("a").signal.aborted, true);
});

test("shutdown is idempotent, resolves at once when idle, and a shut-down queue cannot restart", async () => {
  const { held, queue } = setup();
  queue.add("a");
  const first = queue.shutdown();
  assert.equal(queue.shutdown({ drain: false }), first);
  assert.deepEqual(await first, { aborted: [] });
  assert.throws(() => queue.start(), ShutdownError);
  await settle();
  assert.equal(held.calls.length, 0, "keys queued before start are dropped");
});
