// Routing, header handling, streaming, drift observation and payload logging through a real
// in-process agent.
import assert from "node:assert/strict";
import { request } from "node:http";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { DriftHook } from "../../../src/agent/drift-hook.ts";
import { inferBody, sampleValue } from "../../integration/agent/support/agent-fixture.ts";
import { send, startPair, type Pair } from "../../integration/agent/support/harness.ts";

describe("agent routing and headers", () => {
  let pair: Pair;
  const observed: string[] = [];
  const drift: DriftHook = {
    enabled: true,
    observesPredictions: true,
    observe: (body, protocol) => observed.push(`${protocol}:${body.toString()}`),
    observePredictions: (values) => observed.push(`predictions:${values.join(",")}`),
    report: () => ({ windowSamples: observed.length, features: [{ name: "x", psi: 0.02 }] }),
  };
  const payloads = new PassThrough();
  const lines: string[] = [];
  payloads.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter((l) => l !== "")));

  before(async () => {
    pair = await startPair({ logPayloads: true }, { drift, payloadOut: payloads });
  });
  after(() => pair.close());

  it("labels requests by route in the metrics", async () => {
    await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([1]) });
    await send(pair.agent.url, "/v2/health/ready");
    await send(pair.agent.url, "/v2/models/iris");
    await send(pair.agent.url, "/v1/chat/completions", { body: "{}" });
    await send(pair.agent.url, "/nowhere");
    const text = await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "infer", code: "200" }), 1);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "health", code: "200" }), 1);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "metadata", code: "404" }), 1);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "chat", code: "200" }), 1);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "other", code: "404" }), 1);
  });

  it("strips hop-by-hop headers both ways and sets X-Forwarded-*", async () => {
    const answer = await send(pair.agent.url, "/echo?q=1", {
      body: "hello",
      headers: { connection: "keep-alive, x-hop", "x-hop": "drop me", "x-end": "keep me", "x-forwarded-for": "203.0.113.1", "keep-alive": "timeout=9" },
    });
    const echoed = JSON.parse(answer.body) as { headers: Record<string, string>; body: string };
    assert.equal(echoed.body, "hello");
    assert.equal(echoed.headers["x-hop"], undefined);
    assert.equal(echoed.headers["keep-alive"], undefined);
    assert.equal(echoed.headers["x-end"], "keep me");
    assert.equal(echoed.headers["x-forwarded-for"], "203.0.113.1, 127.0.0.1");
    assert.equal(echoed.headers["x-forwarded-proto"], "http");
    assert.match(echoed.headers["x-forwarded-host"] ?? "", /^127\.0\.0\.1:\d+$/);
    assert.equal(pair.fake.received.at(-1)?.url, "/echo?q=1");
  });

  it("passes upstream status codes and bodies through unchanged", async () => {
    const answer = await send(pair.agent.url, "/status?code=418");
    assert.equal(answer.status, 418);
    assert.equal(answer.body, '{"answered":true}');
  });

  it("streams Server-Sent Events chunk by chunk", async () => {
    const arrivals: number[] = [];
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${pair.agent.url}/v1/chat/completions`, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
        assert.equal(res.headers["content-type"], "text/event-stream");
        res.on("data", () => arrivals.push(performance.now() - start));
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end('{"stream":true}');
    });
    assert.ok(arrivals.length >= 3, `${arrivals.length} chunks`);
    assert.ok((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0) >= 200, `chunks arrived together: ${arrivals.join(", ")}`);
  });

  it("hands 2xx prediction bodies to the drift hook and serves its report", async () => {
    observed.length = 0;
    await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([2]) });
    await send(pair.agent.url, "/v2/models/iris/infer", { body: "{bad" });
    await send(pair.agent.url, "/v2/health/live");
    await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([4, 5]) });
    // The answer's predictions (the stand-in answers the sum) come first, then the request's rows.
    assert.deepEqual(observed, ["predictions:2", `v2:${inferBody([2])}`, "predictions:9", `v2:${inferBody([4, 5])}`]);
    const report = await (await fetch(`${pair.agent.metricsUrl}/drift`)).json() as { windowSamples: number };
    assert.equal(report.windowSamples, 4);
    const text = await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
    assert.equal(sampleValue(text, "mdo_agent_drift_psi", { feature: "x" }), 0.02);
  });

  it("logs payloads as JSON lines without headers", async () => {
    lines.length = 0;
    await send(pair.agent.url, "/v2/models/iris/infer", { body: inferBody([3]), headers: { authorization: "Bearer secret-value" } });
    await new Promise((resolve) => setImmediate(resolve));
    const record = JSON.parse(lines.at(-1) ?? "{}") as { route: string; status: number; request: { data: string }; response: { data: string } };
    assert.equal(record.route, "infer");
    assert.equal(record.status, 200);
    assert.equal(record.request.data, inferBody([3]));
    assert.match(record.response.data, /"data":\[3\]/);
    assert.ok(!lines.join("\n").includes("secret-value"));
  });

  it("counts payload bytes", async () => {
    const text = await (await fetch(`${pair.agent.metricsUrl}/metrics`)).text();
    assert.ok((sampleValue(text, "mdo_agent_request_body_bytes_sum", { route: "infer" }) ?? 0) > 0);
    assert.ok((sampleValue(text, "mdo_agent_response_body_bytes_sum", { route: "chat" }) ?? 0) > 100);
  });
});
