// StaticBackends: ready backends round-robin, waits resolve when one is set and stop on abort.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StaticBackends } from "../../../src/activator/backends.ts";
import { BackendWaitAbortedError } from "../../../src/activator/errors.ts";

const iris = { namespace: "ml", name: "iris" };
const other = { namespace: "ml", name: "other" };

describe("StaticBackends", () => {
  it("has no backend until one is set, then spreads calls round-robin", () => {
    const backends = new StaticBackends();
    assert.equal(backends.ready(iris), undefined);
    backends.set(iris, ["http://a:1", "http://b:1"]);
    assert.deepEqual([1, 2, 3, 4].map(() => backends.ready(iris)), ["http://a:1", "http://b:1", "http://a:1", "http://b:1"]);
    assert.equal(backends.ready(other), undefined);
    backends.set(iris, []);
    assert.equal(backends.ready(iris), undefined);
  });

  it("resolves waiters of the target when a backend is set, at once when one is ready", async () => {
    const backends = new StaticBackends();
    const waits = [backends.waitForReady(iris, new AbortController().signal), backends.waitForReady(iris, new AbortController().signal)];
    const otherWait = backends.waitForReady(other, AbortSignal.timeout(50));
    assert.equal(backends.waiting(iris), 2);
    backends.set(iris, ["http://a:1"]);
    assert.deepEqual(await Promise.all(waits), ["http://a:1", "http://a:1"]);
    assert.equal(backends.waiting(iris), 0);
    assert.equal(await backends.waitForReady(iris, new AbortController().signal), "http://a:1");
    await assert.rejects(otherWait, BackendWaitAbortedError);
    assert.equal(backends.waiting(other), 0);
  });

  it("rejects a wait whose signal already aborted", async () => {
    await assert.rejects(new StaticBackends().waitForReady(iris, AbortSignal.abort()), BackendWaitAbortedError);
  });
});
