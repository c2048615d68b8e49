import assert from "node:assert/strict";
import { test } from "node:test";
import { LOW_PRIORITY_SHARE, WorkQueue } from "../../../src/runtime/workqueue.ts";

/** A one-worker queue that records the order keys ran in; each run waits for `release`. */
function recordingQueue(): { queue: WorkQueue; order: string[]; settle: () => Promise<void> } {
  const order: string[] = [];
  const queue = new WorkQueue({ workers: 1, reconcile: async (key) => { order.push(key); await Promise.resolve(); return undefined; } });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 200 && queue.depth + queue.inFlight > 0; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, order, settle };
}

test("normal keys run before low ones that were queued earlier", async () => {
  const { queue, order, settle } = recordingQueue();
  queue.add("new-1", "low");
  queue.add("new-2", "low");
  queue.add("follow-up", "normal");
  queue.start();
  await settle();
  assert.deepEqual(order, ["follow-up", "new-1", "new-2"]);
  await queue.shutdown();
});

test("a waiting low key added again with normal priority moves up, and runs once", async () => {
  const { queue, order, settle } = recordingQueue();
  queue.add("a", "low");
  queue.add("b", "low");
  queue.add("b", "normal");
  queue.add("b", "low");
  queue.start();
  await settle();
  assert.deepEqual(order, ["b", "a"]);
  await queue.shutdown();
});

test("low keys get one pick in LOW_PRIORITY_SHARE while normal keys wait: never starved", async () => {
  const { queue, order, settle } = recordingQueue();
  for (let i = 0; i < 3; i++) queue.add(`low-${i}`, "low");
  for (let i = 0; i < 9; i++) queue.add(`normal-${i}`, "normal");
  assert.equal(queue.depth, 12);
  queue.start();
  await settle();
  const lowPositions = order.flatMap((key, i) => (key.startsWith("low-") ? [i] : []));
  assert.deepEqual(lowPositions, [LOW_PRIORITY_SHARE - 1, 2 * LOW_PRIORITY_SHARE - 1, 3 * LOW_PRIORITY_SHARE - 1]);
  assert.equal(order.length, 12);
  await queue.shutdown();
});
