// (d) No backend within coldStartTimeoutMs: 503 with Retry-After, and nothing is forwarded later.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { COLD_START_HEADER } from "../../../src/activator/activator.ts";
import { ID_HEADER, IRIS, outcomes, send, startActivator, startBackend, type RunningActivator, type StandIn } from "./harness.ts";

const TIMEOUT_MS = 150;

describe("activator when the cold start takes too long", () => {
  let backend: StandIn;
  let front: RunningActivator;

  before(async () => {
    backend = await startBackend();
    front = await startActivator({ coldStartTimeoutMs: TIMEOUT_MS });
  });
  after(async () => {
    await front.close();
    await backend.close();
  });

  it("answers 503 with Retry-After at the deadline and gives up the wait", async () => {
    const answers = await Promise.all(["t0", "t1"].map((id) => send(front.url, { method: "POST", body: Buffer.from(id), headers: { [ID_HEADER]: id } })));
    for (const answer of answers) {
      assert.equal(answer.status, 503);
      assert.match(String(answer.headers["retry-after"]), /^[1-9]\d*$/);
      assert.ok(Number(answer.headers[COLD_START_HEADER]) >= TIMEOUT_MS - 1, `waited ${String(answer.headers[COLD_START_HEADER])} ms`);
    }
    assert.equal(front.activator.held(IRIS), 0);
    assert.equal(front.directory.waiting(IRIS), 0, "the cold start's wait was given up");
    front.directory.set(IRIS, [backend.url]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(backend.seen.size, 0, "nothing forwarded after the timeout");
    assert.equal(await outcomes(front.registry, "rejected_timeout"), 2);
    assert.equal(front.demands.length, 1);
  });
});
