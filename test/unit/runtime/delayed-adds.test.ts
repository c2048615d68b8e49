import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock } from "../../../src/runtime/clock.ts";
import { DelayedAdds } from "../../../src/runtime/delayed-adds.ts";

function setup(): { clock: ManualClock; delayed: DelayedAdds; fired: string[] } {
  const clock = new ManualClock();
  const fired: string[] = [];
  const delayed = new DelayedAdds(clock, (key) => fired.push(`${key}@${clock.now()}`));
  return { clock, delayed, fired };
}

test("a key scheduled several times fires once, at the earliest time", () => {
  const { clock, delayed, fired } = setup();
  assert.equal(delayed.schedule("a", 100), true);
  assert.equal(delayed.schedule("a", 50), true);
  assert.equal(delayed.schedule("a", 200), false);
  assert.equal(delayed.dueAt("a"), 50);
  assert.equal(clock.pendingTimers, 1, "the later timer is cancelled, not left to fire");
  clock.advance(1000);
  assert.deepEqual(fired, ["a@50"]);
  assert.equal(delayed.size, 0);
});

test("after firing, a key can be scheduled again", () => {
  const { clock, delayed, fired } = setup();
  delayed.schedule("a", 10);
  clock.advance(10);
  delayed.schedule("a", 10);
  clock.advance(10);
  assert.deepEqual(fired, ["a@10", "a@20"]);
});

test("keys are independent and cancelAll drops them all", () => {
  const { clock, delayed, fired } = setup();
  delayed.schedule("a", 10);
  delayed.schedule("b", 5);
  clock.advance(7);
  delayed.cancelAll();
  clock.advance(100);
  assert.deepEqual(fired, ["b@5"]);
  assert.equal(clock.pendingTimers, 0);
});
