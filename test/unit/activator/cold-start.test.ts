// (b) No ready backend: concurrent requests are held, one onDemand call, then all are forwarded
// exactly once when the first backend is ready.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { COLD_START_HEADER } from "../../../src/activator/activator.ts";
import { ID_HEADER, IRIS, outcomes, send, startActivator, startBackend, until, type RunningActivator, type StandIn } from "./harness.ts";

const HELD = 50;
const COLD_START_MS = 300;

describe("activator during a cold start", () => {
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

  it("holds concurrent requests, asks for a pod once and forwards each exactly once when one is ready", async () => {
    const answers = Array.from({ length: HELD }, (_, i) => send(front.url, { headers: { [ID_HEADER]: `r${i}` } }));
    await until(() => front.activator.held(IRIS) === HELD, `${HELD} requests are held`);
    assert.equal(backend.seen.size, 0);
    assert.match(await front.registry.metrics(), new RegExp(`^mdo_activator_queue_depth\\{namespace="ml",name="iris"\\} ${HELD}$`, "m"));
    await new Promise((resolve) => setTimeout(resolve, COLD_START_MS));
    front.directory.set(IRIS, [backend.url]);
    const done = await Promise.all(answers);
    assert.deepEqual(front.demands, [IRIS], "onDemand was called once, for the target");
    for (const [i, answer] of done.entries()) {
      assert.equal(answer.status, 200, `r${i}`);
      assert.equal((JSON.parse(answer.body.toString()) as { id: string }).id, `r${i}`);
      assert.ok(Number(answer.headers[COLD_START_HEADER]) >= COLD_START_MS, `r${i} waited ${String(answer.headers[COLD_START_HEADER])} ms`);
    }
    assert.equal(backend.seen.size, HELD);
    for (const [id, seen] of backend.seen) assert.equal(seen.length, 1, `${id} forwarded once`);
    assert.equal(front.activator.held(IRIS), 0);
    assert.equal(await outcomes(front.registry, "forwarded_after_cold_start"), HELD);
    const text = await front.registry.metrics();
    assert.match(text, new RegExp(`^mdo_activator_cold_start_wait_seconds_count ${HELD}$`, "m"));
    assert.doesNotMatch(text, /^mdo_activator_queue_depth\{/m, "no queue series once the queue is empty");
  });

  it("goes direct once the target is warm", async () => {
    const answer = await send(front.url, { headers: { [ID_HEADER]: "warm" } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers[COLD_START_HEADER], undefined);
    assert.equal(front.demands.length, 1);
  });
});
