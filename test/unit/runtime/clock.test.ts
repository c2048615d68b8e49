import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock, realClock } from "../../../src/runtime/clock.ts";

test("ManualClock fires due timers in time order, ties in scheduling order, at their due time", () => {
  const clock = new ManualClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
  clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 10);
  clock.advance(20);
  assert.deepEqual(fired, ["a@1010", "b@1010"]);
  assert.equal(clock.now(), 1020);
  clock.advance(10);
  assert.deepEqual(fired, ["a@1010", "b@1010", "c@1030"]);
  assert.equal(clock.pendingTimers, 0);
});

test("ManualClock fires a timer scheduled during advance when it falls due within it", () => {
  const clock = new ManualClock();
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.now());
    clock.setTimeout(() => fired.push(clock.now()), 5);
  }, 5);
  clock.advance(10);
  assert.deepEqual(fired, [5, 10]);
});

test("ManualClock: a cancelled timer never fires; negative and NaN delays fire on the next advance", () => {
  const clock = new ManualClock();
  const fired: string[] = [];
  const cancel = clock.setTimeout(() => fired.push("cancelled"), 5);
  clock.setTimeout(() => fired.push("negative"), -5);
  clock.setTimeout(() => fired.push("nan"), Number.NaN);
  cancel();
  cancel();
  assert.equal(clock.nextDueAt(), 0);
  clock.advance(0);
  clock.advance(10);
  assert.deepEqual(fired, ["negative", "nan"]);
});

test("ManualClock.runFor lets async work that timers start schedule and fire its own timers", async () => {
  const clock = new ManualClock();
  const steps: number[] = [];
  const loop = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await clock.sleep(10);
      await Promise.resolve();
      steps.push(clock.now());
    }
  };
  const done = loop();
  await clock.runFor(30);
  await done;
  assert.deepEqual(steps, [10, 20, 30]);
});

test("sleep rejects with the abort reason and cancels its timer", async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  const slept = clock.sleep(100, controller.signal);
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(slept, (e) => e === reason);
  assert.equal(clock.pendingTimers, 0);
  await assert.rejects(clock.sleep(1, controller.signal), (e) => e === reason);
});

test("sleep wraps a non-Error abort reason as the cause of an Error", async () => {
  const controller = new AbortController();
  controller.abort("bye");
  await assert.rejects(realClock.sleep(1, controller.signal), (e) => e instanceof Error && e.cause === "bye");
});

test("realClock honours delays longer than Node's 32-bit timer limit", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const fired: string[] = [];
  const limit = 2 ** 31 - 1;
  const long = 30 * 24 * 3600 * 1000;
  realClock.setTimeout(() => fired.push("long"), long);
  realClock.setTimeout(() => fired.push("short"), 10);
  t.mock.timers.tick(10);
  assert.deepEqual(fired, ["short"], "a long delay must not overflow into an immediate timer");
  t.mock.timers.tick(limit - 10);
  t.mock.timers.tick(long - limit - 1);
  assert.deepEqual(fired, ["short"]);
  t.mock.timers.tick(1);
  assert.deepEqual(fired, ["short", "long"]);
});

test("realClock: a cancelled long timer never fires", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let fired = false;
  const cancel = realClock.setTimeout(() => (fired = true), 2 ** 31 + 5);
  t.mock.timers.tick(2 ** 31);
  cancel();
  t.mock.timers.tick(10);
  assert.equal(fired, false);
});

test("realClock.now never goes backwards", () => {
  let previous = realClock.now();
  for (let i = 0; i < 1000; i++) {
    const now = realClock.now();
    assert.ok(now >= previous);
    previous = now;
  }
  assert.ok(Math.abs(previous - Date.now()) < 60_000, "now() is on the epoch scale");
});
