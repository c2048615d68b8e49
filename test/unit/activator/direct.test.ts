// (a) A target with a ready backend: the request goes straight to it, no hold, no cold-start header.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { COLD_START_HEADER } from "../../../src/activator/activator.ts";
import { ID_HEADER, IRIS, outcomes, send, startActivator, startBackend, type RunningActivator, type StandIn } from "./harness.ts";

describe("activator with a ready backend", () => {
  let backend: StandIn;
  let front: RunningActivator;

  before(async () => {
    backend = await startBackend();
    front = await startActivator();
    front.directory.set(IRIS, [backend.url]);
  });
  after(async () => {
    await front.close();
    await backend.close();
  });

  it("proxies directly: method, path, query and end-to-end headers forwarded, answer relayed", async () => {
    const answer = await send(front.url, {
      method: "DELETE", path: "/v2/models/iris?verbose=1&x=%20",
      headers: { [ID_HEADER]: "a1", "x-mdo-cache": "bypass", "x-custom": "kept", connection: "keep-alive, x-hop", "x-hop": "dropped" },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["x-backend"], "stand-in");
    assert.equal(answer.headers[COLD_START_HEADER], undefined);
    const seen = backend.seen.get("a1");
    assert.equal(seen?.length, 1);
    assert.equal(seen[0]?.method, "DELETE");
    assert.equal(seen[0]?.url, "/v2/models/iris?verbose=1&x=%20");
    assert.equal(seen[0]?.headers["x-custom"], "kept");
    assert.equal(seen[0]?.headers["x-mdo-cache"], "bypass", "the agent's control header reaches the agent");
    assert.equal(seen[0]?.headers["x-hop"], undefined);
    assert.equal(seen[0]?.headers["x-forwarded-host"], "iris.ml.svc.cluster.local");
    assert.equal(front.demands.length, 0);
    assert.equal(await outcomes(front.registry, "forwarded_direct"), 1);
  });

  it("answers 404 for a Host that names no ModelDeployment", async () => {
    const answer = await send(front.url, { host: "iris.ml.svc.example.com", headers: { [ID_HEADER]: "nf" } });
    assert.equal(answer.status, 404);
    assert.match(answer.body.toString(), /names no ModelDeployment/);
    assert.equal(backend.seen.has("nf"), false);
    assert.equal(front.demands.length, 0);
  });

  it("answers 502 when the ready backend refuses the connection", async () => {
    const gone = await startBackend();
    await gone.close();
    const stale = { namespace: "ml", name: "stale" };
    front.directory.set(stale, [gone.url]);
    const answer = await send(front.url, { host: "stale.ml" });
    assert.equal(answer.status, 502);
    assert.equal(await outcomes(front.registry, "upstream_error"), 1);
  });
});
