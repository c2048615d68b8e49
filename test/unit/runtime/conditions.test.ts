import { strict as assert } from "node:assert";
import { test } from "node:test";
import {
  findCondition,
  formatTime,
  isFalse,
  isTrue,
  isValidReason,
  removeCondition,
  setCondition,
  truncateMessage,
  MAX_CONDITION_MESSAGE,
} from "../../../src/runtime/conditions.ts";
import type { Condition } from "../../../src/runtime/conditions.ts";

const T0 = new Date("2025-01-31T12:00:00.123Z");
const T1 = new Date("2025-01-31T12:05:00Z");

const ready = (status: Condition["status"], reason = "RolledOut", message = "ok", observedGeneration = 1) => ({
  type: "Ready",
  status,
  observedGeneration,
  reason,
  message,
});

test("formatTime writes RFC 3339 in UTC with whole seconds, as the API server does", () => {
  assert.equal(formatTime(T0), "2025-01-31T12:00:00Z");
  assert.equal(formatTime(new Date("2025-06-01T23:59:59.999+02:00")), "2025-06-01T21:59:59Z");
});

test("setCondition appends a new type stamped with now and does not mutate the input", () => {
  const before: Condition[] = [];
  const after = setCondition(before, ready("True"), T0);
  assert.deepEqual(before, []);
  assert.deepEqual(after, [{ ...ready("True"), lastTransitionTime: "2025-01-31T12:00:00Z" }]);
  assert.deepEqual(setCondition(undefined, ready("False"), T0).map((c) => c.status), ["False"]);
});

test("setCondition keeps lastTransitionTime when only reason, message or observedGeneration change", () => {
  const first = setCondition([], ready("False", "RollingOut", "0 of 2 ready", 1), T0);
  const frozen = structuredClone(first);
  const second = setCondition(first, ready("False", "CrashLoopBackOff", "pod crashed", 2), T1);
  assert.deepEqual(first, frozen, "input list and items unchanged");
  assert.deepEqual(second, [
    {
      type: "Ready",
      status: "False",
      observedGeneration: 2,
      lastTransitionTime: "2025-01-31T12:00:00Z",
      reason: "CrashLoopBackOff",
      message: "pod crashed",
    },
  ]);
});

test("setCondition moves lastTransitionTime when the status flips, both ways", () => {
  const a = setCondition([], ready("False"), T0);
  const b = setCondition(a, ready("True"), T1);
  assert.equal(b[0]?.lastTransitionTime, "2025-01-31T12:05:00Z");
  const c = setCondition(b, ready("Unknown"), new Date("2025-01-31T13:00:00Z"));
  assert.equal(c[0]?.lastTransitionTime, "2025-01-31T13:00:00Z");
});

test("setCondition keeps the order of existing types and appends new ones", () => {
  let list = setCondition([], ready("True"), T0);
  list = setCondition(list, { type: "Stalled", status: "False", reason: "AsExpected", message: "" }, T0);
  list = setCondition(list, { type: "Available", status: "True", reason: "Ok", message: "" }, T0);
  list = setCondition(list, { type: "Stalled", status: "True", reason: "Broken", message: "x" }, T1);
  list = setCondition(list, ready("False"), T1);
  assert.deepEqual(list.map((c) => c.type), ["Ready", "Stalled", "Available"]);
});

test("setCondition returns the same item object when nothing changed, so callers can compare cheaply", () => {
  const a = setCondition([], ready("True"), T0);
  const b = setCondition(a, ready("True"), T1);
  assert.notEqual(b, a, "always a new array");
  assert.equal(b[0], a[0]);
});

test("setCondition omits observedGeneration when the update has none", () => {
  const [c] = setCondition([], { type: "X", status: "True", reason: "Y", message: "" }, T0);
  assert.ok(c !== undefined && !("observedGeneration" in c));
});

test("setCondition rejects an empty type and reasons the API server would refuse", () => {
  assert.throws(() => setCondition([], { ...ready("True"), type: "" }, T0), TypeError);
  for (const reason of ["", "has space", "1Leading", "Trailing,", "dash-ed"]) {
    assert.throws(() => setCondition([], ready("True", reason), T0), /invalid reason/, reason);
  }
  assert.ok(isValidReason("Progress_Deadline:Exceeded"));
});

test("setCondition truncates a message longer than the API server accepts", () => {
  const [c] = setCondition([], ready("False", "Big", "x".repeat(MAX_CONDITION_MESSAGE + 10)), T0);
  assert.equal(c?.message.length, MAX_CONDITION_MESSAGE);
  assert.ok(c?.message.endsWith("…"));
  assert.equal(truncateMessage("short", 10), "short");
  assert.equal(truncateMessage("0123456789ab", 10), "012345678…");
});

test("findCondition, isTrue, isFalse and removeCondition", () => {
  const list = setCondition(setCondition([], ready("True"), T0), { type: "Stalled", status: "False", reason: "AsExpected", message: "" }, T0);
  assert.equal(findCondition(list, "Stalled")?.reason, "AsExpected");
  assert.equal(findCondition(list, "Missing"), undefined);
  assert.equal(findCondition(undefined, "Ready"), undefined);
  assert.ok(isTrue(list, "Ready"));
  assert.ok(!isTrue(list, "Stalled"));
  assert.ok(!isTrue(list, "Missing"));
  assert.ok(isFalse(list, "Stalled"));
  assert.ok(!isFalse(list, "Missing"), "absent is neither True nor False");
  const removed = removeCondition(list, "Ready");
  assert.deepEqual(removed.map((c) => c.type), ["Stalled"]);
  assert.equal(list.length, 2, "input not mutated");
  assert.deepEqual(removeCondition(undefined, "Ready"), []);
});
