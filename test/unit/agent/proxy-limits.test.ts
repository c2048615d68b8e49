// Limits and failures through a real in-process agent: 401, 413, 503, 504, 502.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { send, startPair, type Pair } from "../../integration/agent/support/harness.ts";

const json = { "content-type": "application/json" };

describe("agent limits", () => {
  let pair: Pair;
  let keyDir: string;

  before(async () => {
    keyDir = await mkdtemp(join(tmpdir(), "mdo-agent-key-"));
    await writeFile(join(keyDir, "api-key"), "good-key\nsecond-key\n");
    pair = await startPair({
      limits: { maxRequestBytes: 1024, timeoutMs: 300, maxConcurrency: 2 },
      auth: { apiKeyFile: join(keyDir, "api-key") },
    });
  });
  after(async () => {
    await pair.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  const auth = { authorization: "Bearer good-key" };

  it("answers 401 without a key or with a wrong one, revealing nothing", async () => {
    const missing = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]), headers: json });
    const wrong = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]), headers: { ...json, "x-api-key": "good-keyX" } });
    for (const answer of [missing, wrong]) {
      assert.equal(answer.status, 401);
      assert.equal(answer.body, '{"error":"unauthorized"}');
      assert.match(String(answer.headers["www-authenticate"]), /^Bearer /);
    }
    assert.equal(pair.fake.inferences, 0);
  });

  it("accepts any listed key, as Bearer or x-api-key, and never forwards it", async () => {
    const bearer = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]), headers: { ...json, ...auth } });
    const header = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]), headers: { ...json, "x-api-key": "second-key" } });
    assert.equal(bearer.status, 200);
    assert.equal(header.status, 200);
    for (const received of pair.fake.received) {
      assert.equal(received.headers.authorization, undefined);
      assert.equal(received.headers["x-api-key"], undefined);
    }
  });

  it("serves /healthz and /readyz without a key", async () => {
    assert.equal((await send(pair.agent.url, "/healthz")).status, 200);
    assert.equal((await send(pair.agent.url, "/readyz")).status, 200);
  });

  it("answers 413 to a declared oversized body without reading it", async () => {
    const answer = await send(pair.agent.url, "/echo", { body: "x".repeat(2000), headers: auth });
    assert.equal(answer.status, 413);
  });

  it("answers 413 to a chunked body that grows past the limit, streamed or buffered, and keeps serving", async () => {
    const parts = Array.from({ length: 5 }, () => "y".repeat(300));
    const before = pair.fake.received.length;
    const streamed = await send(pair.agent.url, "/echo", { body: parts, headers: auth });
    const buffered = await send(pair.agent.url, "/v2/models/iris/infer", { body: parts, headers: { ...json, ...auth } });
    assert.equal(streamed.status, 413);
    assert.equal(buffered.status, 413);
    assert.equal(pair.fake.received.slice(before).filter((r) => r.body.length > 1024).length, 0);
    const after = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([2]), headers: { ...json, ...auth } });
    assert.equal(after.status, 200);
  });

  it("answers 504 when the model server is slower than timeoutMs", async () => {
    pair.fake.delayMs = 1000;
    try {
      const answer = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([3]), headers: { ...json, ...auth } });
      assert.equal(answer.status, 504);
      assert.ok(answer.ms < 900, `took ${answer.ms} ms`);
    } finally {
      pair.fake.delayMs = 0;
    }
    const text = await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
    assert.equal(sampleValue(text, "mdo_agent_upstream_errors_total", { kind: "timeout" }), 1);
  });

  it("answers 503 with Retry-After beyond maxConcurrency", async () => {
    pair.fake.delayMs = 200;
    try {
      const answers = await Promise.all([1, 2, 3].map((x) => send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([x]), headers: { ...json, ...auth } })));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 200, 503]);
      const rejected = answers.find((a) => a.status === 503);
      assert.equal(rejected?.headers["retry-after"], "1");
    } finally {
      pair.fake.delayMs = 0;
    }
  });

  it("answers 502 at once while the model server is down, and recovers when it returns", async () => {
    const port = pair.fake.port;
    await pair.fake.kill();
    const down = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([4]), headers: { ...json, ...auth } });
    assert.equal(down.status, 502);
    assert.ok(down.ms < 200, `took ${down.ms} ms`);
    assert.equal((await send(pair.agent.url, "/readyz")).status, 503);
    await pair.fake.start(port);
    const up = await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([4]), headers: { ...json, ...auth } });
    assert.equal(up.status, 200);
  });
});
