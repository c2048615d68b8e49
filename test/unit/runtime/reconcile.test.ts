import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isTerminal, ShutdownError, TerminalError } from "../../../src/runtime/errors.ts";
import { errorOutcome, resultOutcome } from "../../../src/runtime/reconcile.ts";

test("a returned value is success or a requeue after the given time", () => {
  assert.deepEqual(resultOutcome(undefined), { kind: "success" });
  assert.deepEqual(resultOutcome({ requeueAfter: 30_000 }), { kind: "requeueAfter", ms: 30_000 });
  assert.deepEqual(resultOutcome({ requeueAfter: 0 }), { kind: "requeueAfter", ms: 0 });
});

test("an invalid requeueAfter becomes a retry with a RangeError", () => {
  for (const requeueAfter of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const outcome = resultOutcome({ requeueAfter });
    assert.equal(outcome.kind, "retry");
    assert.ok(outcome.kind === "retry" && outcome.error instanceof RangeError);
  }
});

test("a TerminalError, directly or as a cause, is terminal; anything else is retried", () => {
  const terminal = new TerminalError("spec.model.uri has no scheme");
  assert.equal(errorOutcome(terminal).kind, "terminal");
  assert.equal(errorOutcome(new Error("Applying Deployment failed", { cause: terminal })).kind, "terminal");
  assert.equal(errorOutcome(new Error("conflict")).kind, "retry");
  assert.equal(errorOutcome("a string").kind, "retry");
  assert.equal(errorOutcome(new ShutdownError("stopping")).kind, "retry");
});

test("isTerminal stops on a cyclic cause chain", () => {
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  a.cause = b;
  assert.equal(isTerminal(a), false);
});

test("runtime errors keep their cause and name", () => {
  const cause = new Error("root");
  const terminal = new TerminalError("bad", { cause });
  const shutdown = new ShutdownError("bye", { cause });
  assert.equal(terminal.cause, cause);
  assert.equal(terminal.name, "TerminalError");
  assert.equal(shutdown.cause, cause);
  assert.equal(shutdown.name, "ShutdownError");
});
