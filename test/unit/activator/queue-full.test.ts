// (c) A full hold queue: the overflow is answered 503 with Retry-After: 1, the held ones still go through.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { COLD_START_HEADER } from "../../../src/activator/activator.ts";
import { ID_HEADER, IRIS, outcomes, send, startActivator, startBackend, until, type RunningActivator, type StandIn } from "./harness.ts";

describe("activator with a full hold queue", () => {
  let backend: StandIn;
  let front: RunningActivator;

  before(async () => {
    backend = await startBackend();
    front = await startActivator({ maxQueuedPerTarget: 3 });
  });
  after(async () => {
    await front.close();
    await backend.close();
  });

  it("rejects only the requests beyond maxQueuedPerTarget", async () => {
    const held = ["h0", "h1", "h2"].map((id) => send(front.url, { headers: { [ID_HEADER]: id } }));
    await until(() => front.activator.held(IRIS) === 3, "3 requests are held");
    const overflow = await Promise.all(["o0", "o1"].map((id) => send(front.url, { headers: { [ID_HEADER]: id } })));
    for (const answer of overflow) {
      assert.equal(answer.status, 503);
      assert.equal(answer.headers["retry-after"], "1");
      assert.equal(answer.headers[COLD_START_HEADER], undefined, "the overflow never waited");
    }
    assert.equal(front.activator.held(IRIS), 3);
    front.directory.set(IRIS, [backend.url]);
    for (const answer of await Promise.all(held)) assert.equal(answer.status, 200);
    assert.deepEqual([...backend.seen.keys()].sort(), ["h0", "h1", "h2"]);
    assert.equal(front.demands.length, 1);
    assert.equal(await outcomes(front.registry, "rejected_queue_full"), 2);
  });
});
