// (e) A client that disconnects while held leaves the queue and is never forwarded.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { ID_HEADER, IRIS, IRIS_HOST, outcomes, send, startActivator, startBackend, until, type RunningActivator, type StandIn } from "./harness.ts";

describe("activator when a held client leaves", () => {
  let backend: StandIn;
  let front: RunningActivator;

  before(async () => {
    backend = await startBackend();
    front = await startActivator();
  });
  after(async () => {
    await front.close();
    await backend.close();
  });

  it("drops the request from the queue and forwards only the ones still waiting", async () => {
    const stays = send(front.url, { headers: { [ID_HEADER]: "stays" } });
    const leaves = request(`${front.url}/v2/models/iris/infer`, { headers: { host: IRIS_HOST, [ID_HEADER]: "leaves" } });
    leaves.on("error", () => undefined);
    leaves.end();
    await until(() => front.activator.held(IRIS) === 2, "both requests are held");
    leaves.destroy();
    await until(() => front.activator.held(IRIS) === 1, "the departed request left the queue");
    front.directory.set(IRIS, [backend.url]);
    assert.equal((await stays).status, 200);
    assert.deepEqual([...backend.seen.keys()], ["stays"]);
    assert.equal(await outcomes(front.registry, "client_gone"), 1);
  });

  it("gives up the cold start when its last held client leaves, and asks again for the next request", async () => {
    const cold = { namespace: "ml", name: "cold" };
    const leaves = request(`${front.url}/`, { headers: { host: "cold.ml", [ID_HEADER]: "cold-1" } });
    leaves.on("error", () => undefined);
    leaves.end();
    await until(() => front.activator.held(cold) === 1, "the request is held");
    leaves.destroy();
    await until(() => front.directory.waiting(cold) === 0, "the wait is given up");
    const next = send(front.url, { host: "cold.ml", headers: { [ID_HEADER]: "cold-2" } });
    await until(() => front.activator.held(cold) === 1, "the next request is held");
    front.directory.set(cold, [backend.url]);
    assert.equal((await next).status, 200);
    assert.equal(front.demands.filter((t) => t.name === "cold").length, 2);
    assert.equal(backend.seen.has("cold-1"), false);
  });
});
