// Failures mid-exchange and graceful stop, through a real in-process agent.
import assert from "node:assert/strict";
import { request, Agent as HttpAgent } from "node:http";
import { after, before, describe, it } from "node:test";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { sleep } from "../../integration/agent/support/fake-model-server.ts";
import { send, startPair, type Pair } from "../../integration/agent/support/harness.ts";

const metrics = async (pair: Pair): Promise<string> => (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();

describe("agent failures mid-exchange", () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair();
  });
  after(() => pair.close());

  it("cuts the client's answer when the model server breaks mid-body, and counts a reset", async () => {
    await assert.rejects(send(pair.agent.url, "/reset"), /aborted|socket hang up|ECONNRESET/);
    await sleep(50);
    assert.equal(sampleValue(await metrics(pair), "mdo_agent_upstream_errors_total", { kind: "reset" }), 1);
    assert.equal((await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]) })).status, 200);
  });

  it("cancels the model server call when the client leaves, and records 499", async () => {
    pair.fake.delayMs = 300;
    try {
      const req = request(`${pair.agent.url}/v2/models/iris/infer`, { method: "POST", agent: false });
      const gone = new Promise<void>((resolve) => req.on("error", () => resolve()));
      req.end(inferBody([2]));
      // Leave only once the agent is serving the request (a fixed delay raced it on a busy machine).
      await until(async () => sampleValue(await metrics(pair), "mdo_agent_requests_in_flight") === 1);
      req.destroy();
      await gone;
      await until(async () => sampleValue(await metrics(pair), "mdo_agent_requests_total", { route: "infer", code: "499" }) !== undefined);
      const text = await metrics(pair);
      assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "infer", code: "499" }), 1);
      assert.equal(sampleValue(text, "mdo_agent_requests_in_flight"), 0);
      assert.equal(sampleValue(text, "mdo_agent_upstream_errors_total", { kind: "timeout" }), undefined, "a departed client is no upstream error");
    } finally {
      pair.fake.delayMs = 0;
    }
  });
});

/** Polls `check` every 10 ms for up to 2 s; throws if it never holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; waited < 2000; waited += 10) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error("condition not reached within 2 s");
}

describe("agent retries a call whose kept-alive connection the model server was closing", () => {
  for (const cache of [false, true]) {
    it(`sends the next request again on a new connection and answers it${cache ? " (through the cache)" : ""}`, async () => {
      const pair = await startPair(cache ? { cache: { maxEntries: 100, ttlMs: 60_000 } } : {});
      try {
        // One kept-alive connection, which the model server starts closing after this answer.
        assert.equal((await send(pair.agent.url, "/status?code=500&close=1")).status, 500);
        const answer = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([4, 5]) });
        assert.equal(pair.fake.resetOnClosing, 1, "the request went out on the closing connection and was reset");
        assert.equal(answer.status, 200);
        assert.deepEqual((JSON.parse(answer.body) as { outputs: { data: number[] }[] }).outputs[0]?.data, [9]);
        const text = await metrics(pair);
        assert.equal(sampleValue(text, "mdo_agent_upstream_retries_total"), 1);
        assert.equal(sampleValue(text, "mdo_agent_upstream_errors_total", { kind: "reset" }), undefined, "a retried call that succeeds is no error");
      } finally {
        await pair.close();
      }
    });
  }

  it("answers 502 when the second call breaks too", async () => {
    const pair = await startPair();
    try {
      assert.equal((await send(pair.agent.url, "/drop", { body: inferBody([1]) })).status, 502);
      assert.equal(pair.fake.received.filter((r) => r.url === "/drop").length, 2, "sent twice");
      const text = await metrics(pair);
      assert.equal(sampleValue(text, "mdo_agent_upstream_retries_total"), 1);
      assert.equal(sampleValue(text, "mdo_agent_upstream_errors_total", { kind: "reset" }), 1);
    } finally {
      await pair.close();
    }
  });

  it("never retries a call whose answer began", async () => {
    const pair = await startPair();
    try {
      await assert.rejects(send(pair.agent.url, "/reset"), /aborted|socket hang up|ECONNRESET/);
      await sleep(50);
      const text = await metrics(pair);
      assert.equal(sampleValue(text, "mdo_agent_upstream_retries_total"), 0, "the answer had begun");
      assert.equal(pair.fake.received.filter((r) => r.url === "/reset").length, 1);
    } finally {
      await pair.close();
    }
  });
});

describe("agent graceful stop", () => {
  it("finishes in-flight requests, closes idle keep-alive connections, and stops accepting", async () => {
    const pair = await startPair();
    const keepAlive = new HttpAgent({ keepAlive: true });
    try {
      // An idle keep-alive connection must not hold the stop up.
      await new Promise<void>((resolve, reject) => {
        request(`${pair.agent.url}/v2/health/live`, { agent: keepAlive }, (res) => {
          res.resume();
          res.on("end", resolve);
        }).on("error", reject).end();
      });
      pair.fake.delayMs = 300;
      const slow = send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([3]) });
      await sleep(50);
      const start = performance.now();
      await pair.agent.stop();
      const answer = await slow;
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.connection, "close");
      assert.ok(performance.now() - start < 2000, "stop waited for the idle connection");
      await assert.rejects(send(pair.agent.url, "/healthz"), /ECONNREFUSED/);
    } finally {
      keepAlive.destroy();
      await pair.close();
    }
  });
});
