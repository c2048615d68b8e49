// The load meter through a real in-process agent: GET /load on the metrics port while slow
// requests are open, and probes (the agent's, and the model server's health and metadata routes
// passed through) left out.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LoadSnapshot } from "../../../src/agent/load.ts";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { sleep } from "../../integration/agent/support/fake-model-server.ts";
import { send, startPair, type Answer, type Pair } from "../../integration/agent/support/harness.ts";

const json = { "content-type": "application/json" };
const OPEN = 3;

async function load(pair: Pair): Promise<LoadSnapshot> {
  const answer = await send(pair.agent.metricsUrl, "/load");
  assert.equal(answer.status, 200);
  assert.equal(answer.headers["content-type"], "application/json");
  assert.equal(answer.headers["cache-control"], "no-store");
  return JSON.parse(answer.body) as LoadSnapshot;
}

async function waitForInFlight(pair: Pair, count: number): Promise<LoadSnapshot> {
  for (let i = 0; i < 200; i++) {
    const snapshot = await load(pair);
    if (snapshot.inFlight === count) return snapshot;
    await sleep(5);
  }
  throw new Error(`in-flight never reached ${count}`);
}

describe("agent load", () => {
  let pair: Pair;

  before(async () => {
    pair = await startPair();
  });
  after(async () => {
    await pair.close();
  });

  it("answers HEAD /load with the headers and no body", async () => {
    const answer = await send(pair.agent.metricsUrl, "/load", { method: "HEAD" });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["cache-control"], "no-store");
    assert.equal(answer.body, "");
  });

  it("shows the open requests in flight and integrates them over time, probes excluded", async () => {
    const idle = await load(pair);
    assert.equal(idle.inFlight, 0);
    pair.fake.delayMs = 1000;
    const slow: Promise<Answer[]> = Promise.all(Array.from({ length: OPEN }, (_, i) =>
      send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([i]), headers: json })));
    try {
      const first = await waitForInFlight(pair, OPEN);
      const wallStart = performance.now();
      for (let i = 0; i < 5; i++) {
        assert.equal((await send(pair.agent.url, "/healthz")).status, 200);
        assert.equal((await send(pair.agent.url, "/readyz")).status, 200);
        // The model server's own health and metadata routes, passed through: not load either.
        await send(pair.agent.url, "/v2/health/live");
        await send(pair.agent.url, "/v2/models/iris");
      }
      await sleep(300);
      const second = await load(pair);
      const wallEnd = performance.now();
      const seconds = (second.monotonicMs - first.monotonicMs) / 1000;
      // The agent runs in this process: its clock is this performance.now().
      assert.ok(second.monotonicMs >= wallStart + 300 && second.monotonicMs <= wallEnd, `monotonicMs ${second.monotonicMs} outside [${wallStart + 300}, ${wallEnd}]`);
      assert.equal(second.inFlight, OPEN, "probes are not in flight");
      assert.equal(second.requests, first.requests, "probes are not counted");
      assert.equal(first.requests - idle.requests, OPEN);
      const grown = second.concurrencySeconds - first.concurrencySeconds;
      assert.ok(Math.abs(grown - OPEN * seconds) < 1e-6, `grew ${grown}, expected ${OPEN} × ${seconds} s`);
      assert.ok(grown >= OPEN * 0.3, `grew only ${grown} in over 0.3 s`);
    } finally {
      pair.fake.delayMs = 0;
    }
    const answers = await slow;
    assert.deepEqual(answers.map((a) => a.status), Array<number>(OPEN).fill(200));
    const done = await load(pair);
    assert.equal(done.inFlight, 0);
    assert.equal(done.requests - idle.requests, OPEN);
    // Each slow request was in flight for about the upstream's 1 s delay.
    const total = done.concurrencySeconds - idle.concurrencySeconds;
    assert.ok(total >= OPEN * 0.95 && total <= OPEN * 1.5, `${OPEN} requests of ~1 s integrated to ${total}`);
    const scraped = sampleValue(await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text(), "mdo_agent_concurrency_seconds_total");
    assert.ok(scraped !== undefined && scraped >= done.concurrencySeconds && scraped - done.concurrencySeconds < 1e-6, `counter ${scraped} vs /load ${done.concurrencySeconds}`);
  });
});
