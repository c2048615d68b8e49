import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock, settle } from "../../../src/runtime/clock.ts";
import { TerminalError } from "../../../src/runtime/errors.ts";
import type { Reconcile } from "../../../src/runtime/reconcile.ts";
import { WorkQueue } from "../../../src/runtime/workqueue.ts";
import { HeldReconcile } from "./held-reconcile.ts";

test("hooks report depth, adds, queue wait, work duration with its outcome, and retries", async () => {
  const clock = new ManualClock();
  const held = new HeldReconcile(clock);
  const events: string[] = [];
  const queue = new WorkQueue({
    reconcile: held.reconcile,
    workers: 1,
    clock,
    hooks: {
      onDepth: (d) => events.push(`depth ${d}`),
      onAdd: (k) => events.push(`add ${k}`),
      onQueueWait: (k, s) => events.push(`wait ${k} ${s}`),
      onWorkDone: (k, s, outcome) => events.push(`done ${k} ${s} ${outcome}`),
      onRetry: (k, ms) => events.push(`retry ${k} ${ms}`),
    },
  });
  queue.add("a");
  queue.add("a");
  queue.add("b");
  clock.advance(2000);
  queue.start();
  await settle();
  queue.add("a");
  clock.advance(500);
  held.last("a").fail(new Error("x"));
  await settle();
  assert.deepEqual(events, [
    "add a", "depth 1", "add b", "depth 2",
    "depth 1", "wait a 2",
    "add a",
    "done a 0.5 retry", "retry a 5", "depth 2",
    "depth 1", "wait b 2.5",
  ]);
});

test("unfinishedWork sums running time and reports the longest-running reconcile", async () => {
  const clock = new ManualClock();
  const held = new HeldReconcile(clock);
  const queue = new WorkQueue({ reconcile: held.reconcile, clock });
  queue.start();
  assert.deepEqual(queue.unfinishedWork(), { unfinishedWorkSeconds: 0, longestRunningProcessorSeconds: 0 });
  queue.add("a");
  clock.advance(3000);
  queue.add("b");
  clock.advance(1000);
  assert.deepEqual(queue.unfinishedWork(), { unfinishedWorkSeconds: 5, longestRunningProcessorSeconds: 4 });
  held.last("a").finish();
  await settle();
  assert.deepEqual(queue.unfinishedWork(), { unfinishedWorkSeconds: 1, longestRunningProcessorSeconds: 1 });
});

test("a throwing hook does not break scheduling", async () => {
  const clock = new ManualClock();
  const held = new HeldReconcile(clock);
  const boom = (): never => {
    throw new Error("hook failed");
  };
  const queue = new WorkQueue({
    reconcile: held.reconcile,
    clock,
    hooks: { onAdd: boom, onDepth: boom, onQueueWait: boom, onWorkDone: boom, onError: boom, onRetry: boom },
  });
  queue.start();
  queue.add("a");
  await settle();
  held.last("a").fail(new Error("x"));
  await clock.runFor(5);
  assert.equal(held.calls.length, 2, "the failed key was still retried");
});

test("no rejection goes unhandled, whatever a reconcile throws and however it ends", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on("unhandledRejection", onUnhandled);
  try {
    const clock = new ManualClock();
    const failed = new Set<string>();
    const throwers = new Map<string, Reconcile>([
      ["rejects", () => Promise.reject(new Error("rejected"))],
      [
        "throwsSync",
        () => {
          throw new Error("thrown synchronously");
        },
      ],
      [
        "throwsNonError",
        () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- careless reconciles do this
          throw "a string";
        },
      ],
      ["terminal", () => Promise.reject(new TerminalError("bad spec"))],
      ["aborted", (_key, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason as Error)))],
    ]);
    const queue = new WorkQueue({
      clock,
      workers: 8,
      reconcile: (key, signal) => {
        const reconcile = throwers.get(key);
        if (reconcile === undefined) throw new Error(`Unexpected key ${key}`);
        return reconcile(key, signal);
      },
      hooks: { onError: (key) => failed.add(key) },
    });
    queue.start();
    for (const key of throwers.keys()) queue.add(key);
    await clock.runFor(50);
    assert.deepEqual(await queue.shutdown({ drain: false }), { aborted: ["aborted"] });
    await settle();
    await settle();
    assert.deepEqual([...failed].sort(), [...throwers.keys()].sort(), "every failure reached onError");
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});
