// The prediction cache through a real in-process agent.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { send, startPair, type Pair } from "../../integration/agent/support/harness.ts";

const json = { "content-type": "application/json" };
const infer = (pair: Pair, body: string, headers: Record<string, string> = {}, path = "/v2/models/iris/infer") =>
  send(pair.agent.url, path, { body, headers: { ...json, ...headers } });

describe("agent prediction cache", () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair({ cache: { maxEntries: 100, ttlMs: 60_000 } });
  });
  after(() => pair.close());

  it("answers a repeated request from the cache with the identical body, without the model server", async () => {
    const first = await infer(pair, inferBody([1, 2]));
    const calls = pair.fake.inferences;
    const second = await infer(pair, JSON.stringify(JSON.parse(inferBody([1, 2])), null, 2));
    assert.equal(first.headers["x-mdo-cache"], "miss");
    assert.equal(second.headers["x-mdo-cache"], "hit");
    assert.equal(second.body, first.body);
    assert.equal(second.headers["content-type"], "application/json");
    assert.equal(pair.fake.inferences, calls);
  });

  it("keys by model, version and body", async () => {
    await infer(pair, inferBody([5]));
    const calls = pair.fake.inferences;
    assert.equal((await infer(pair, inferBody([5]), {}, "/v2/models/other/infer")).headers["x-mdo-cache"], "miss");
    assert.equal((await infer(pair, inferBody([5]), {}, "/v2/models/iris/versions/2/infer")).headers["x-mdo-cache"], "miss");
    assert.equal((await infer(pair, inferBody([6]))).headers["x-mdo-cache"], "miss");
    assert.equal(pair.fake.inferences, calls + 3);
  });

  it("bypasses on request", async () => {
    await infer(pair, inferBody([7]));
    const calls = pair.fake.inferences;
    const bypass = await infer(pair, inferBody([7]), { "x-mdo-cache": "bypass" });
    const noCache = await infer(pair, inferBody([7]), { "cache-control": "no-cache" });
    assert.equal(bypass.headers["x-mdo-cache"], "bypass");
    assert.equal(noCache.headers["x-mdo-cache"], "bypass");
    assert.equal(pair.fake.inferences, calls + 2);
    assert.equal(pair.fake.received.at(-1)?.headers["x-mdo-cache"], undefined, "the control header is not forwarded");
  });

  it("shares one upstream call among identical requests in flight", async () => {
    pair.fake.delayMs = 150;
    try {
      const calls = pair.fake.inferences;
      const answers = await Promise.all(Array.from({ length: 5 }, () => infer(pair, inferBody([8, 8]))));
      assert.equal(pair.fake.inferences, calls + 1);
      assert.equal(new Set(answers.map((a) => a.body)).size, 1);
      assert.deepEqual(answers.map((a) => a.headers["x-mdo-cache"]).sort(), ["hit", "hit", "hit", "hit", "miss"]);
    } finally {
      pair.fake.delayMs = 0;
    }
    const text = await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
    assert.equal(sampleValue(text, "mdo_agent_cache_hits_total", { source: "inflight" }), 4);
  });

  it("never caches errors, or routes that are not deterministic", async () => {
    const calls = pair.fake.inferences;
    assert.equal((await infer(pair, "{not json")).status, 400);
    assert.equal((await infer(pair, "{not json")).status, 400);
    assert.equal(pair.fake.inferences, calls + 2);
    const chat = await send(pair.agent.url, "/v1/chat/completions", { body: "{}", headers: json });
    assert.equal(chat.headers["x-mdo-cache"], undefined);
  });

  it("counts hits, misses and bypasses", async () => {
    const text = await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
    assert.ok((sampleValue(text, "mdo_agent_cache_hits_total", { source: "cache" }) ?? 0) >= 1);
    assert.ok((sampleValue(text, "mdo_agent_cache_misses_total") ?? 0) >= 5);
    assert.equal(sampleValue(text, "mdo_agent_cache_bypasses_total"), 2);
    assert.ok((sampleValue(text, "mdo_agent_cache_entries") ?? 0) >= 5);
  });
});

describe("agent prediction cache with protocol raw", () => {
  it("passes everything through uncached", async () => {
    const pair = await startPair({ protocol: "raw", cache: { maxEntries: 100, ttlMs: 60_000 } });
    try {
      await infer(pair, inferBody([1]));
      const second = await infer(pair, inferBody([1]));
      assert.equal(second.headers["x-mdo-cache"], undefined);
      assert.equal(pair.fake.inferences, 2);
    } finally {
      await pair.close();
    }
  });
});
