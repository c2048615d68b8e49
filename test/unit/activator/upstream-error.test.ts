// A held request whose backend refuses the connection is answered 502, once, with its wait.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { COLD_START_HEADER } from "../../../src/activator/activator.ts";
import { IRIS, outcomes, send, startActivator, startBackend, until, type RunningActivator } from "./harness.ts";

describe("activator when the ready backend fails", () => {
  let front: RunningActivator;

  before(async () => {
    front = await startActivator();
  });
  after(async () => {
    await front.close();
  });

  it("answers 502 with the cold-start header", async () => {
    const gone = await startBackend();
    await gone.close();
    const answer = send(front.url, { method: "POST", body: Buffer.from("{}") });
    await until(() => front.activator.held(IRIS) === 1, "the request is held");
    front.directory.set(IRIS, [gone.url]);
    const { status, headers } = await answer;
    assert.equal(status, 502);
    assert.ok(headers[COLD_START_HEADER] !== undefined);
    assert.equal(await outcomes(front.registry, "upstream_error"), 1);
    assert.equal(await outcomes(front.registry, "forwarded_after_cold_start"), 0);
  });
});
