import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock, settle } from "../../../src/runtime/clock.ts";
import { WorkQueue } from "../../../src/runtime/workqueue.ts";
import { HeldReconcile } from "./held-reconcile.ts";

function setup(workers = 4): { clock: ManualClock; held: HeldReconcile; queue: WorkQueue } {
  const clock = new ManualClock();
  const held = new HeldReconcile(clock);
  const queue = new WorkQueue({ reconcile: held.reconcile, workers, clock });
  return { clock, held, queue };
}

test("a key added several times while waiting is processed once, in first-add order", async () => {
  const { held, queue } = setup(1);
  for (const key of ["ns/a", "ns/b", "ns/a", "ns/c", "ns/b", "ns/a"]) assert.equal(queue.add(key), true);
  assert.equal(queue.depth, 3);
  queue.start();
  for (let i = 0; i < 3; i++) {
    held.calls[i]?.finish();
    await settle();
  }
  assert.deepEqual(held.keys(), ["ns/a", "ns/b", "ns/c"]);
  assert.equal(queue.depth, 0);
});

test("no run starts before start(); start() twice starts each key once", async () => {
  const { held, queue } = setup();
  queue.add("a");
  await settle();
  assert.equal(held.calls.length, 0);
  queue.start();
  queue.start();
  await settle();
  assert.deepEqual(held.keys(), ["a"]);
});

test("a key added while running runs again exactly once, after the current run ends", async () => {
  const { held, queue } = setup();
  queue.start();
  queue.add("a");
  for (let i = 0; i < 5; i++) queue.add("a");
  await settle();
  assert.equal(held.calls.length, 1, "not on a second worker while the first run is open");
  held.last("a").finish();
  await settle();
  assert.equal(held.calls.length, 2, "the dirty key ran again");
  held.last("a").finish();
  await settle();
  assert.equal(held.calls.length, 2, "and only once");
});

test("the same key never runs on two workers at once, under many adds", async () => {
  const clock = new ManualClock();
  const running = new Map<string, number>();
  let overlap = 0;
  let runs = 0;
  const queue = new WorkQueue({
    workers: 8,
    clock,
    reconcile: async (key) => {
      const n = (running.get(key) ?? 0) + 1;
      running.set(key, n);
      if (n > 1) overlap++;
      runs++;
      await clock.sleep(1 + (runs % 7));
      running.set(key, n - 1);
    },
  });
  queue.start();
  const keys = ["a", "b", "c"];
  for (let i = 0; i < 300; i++) {
    queue.add(keys[i % 3] ?? "a");
    if (i % 5 === 0) await clock.runFor(1);
  }
  await clock.runFor(100);
  assert.equal(overlap, 0);
  assert.ok(runs >= 6, `each key ran repeatedly (${runs} runs)`);
  assert.ok(runs < 300, `adds were collapsed (${runs} runs for 300 adds)`);
  assert.equal(queue.inFlight + queue.depth, 0);
});

test("different keys run in parallel up to the worker count", async () => {
  const { held, queue } = setup(3);
  queue.start();
  for (const key of ["a", "b", "c", "d", "e"]) queue.add(key);
  await settle();
  assert.deepEqual(held.keys(), ["a", "b", "c"]);
  assert.equal(queue.inFlight, 3);
  assert.equal(queue.depth, 2);
  held.last("b").finish();
  await settle();
  assert.deepEqual(held.keys(), ["a", "b", "c", "d"]);
  for (const call of held.calls) call.finish();
  await settle();
  held.last("e").finish();
  await settle();
  assert.deepEqual(held.keys(), ["a", "b", "c", "d", "e"]);
  assert.equal(held.maxRunning, 3);
});

test("a queue needs a whole, positive number of workers", () => {
  const reconcile = (): Promise<undefined> => Promise.resolve(undefined);
  assert.throws(() => new WorkQueue({ reconcile, workers: 0 }), RangeError);
  assert.throws(() => new WorkQueue({ reconcile, workers: 1.5 }), RangeError);
});
