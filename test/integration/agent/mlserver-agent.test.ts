// The agent in front of a real MLServer (scikit-learn classifier trained in the test), as in a pod:
// inference end to end, readiness following the model, exact counters, cache hits that never reach
// the server, 401, 413, a killed server, and drift on real traffic (PSI per feature).
import { strict as assert } from "node:assert";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startAgent } from "../../../src/agent/agent.ts";
import { driftHookFor } from "../../../src/agent/drift.ts";
import { buildBaseline } from "../../../src/drift/index.ts";
import { IRIS_FEATURES, irisRows } from "../../support/iris-data.ts";
import { realClock } from "../../../src/runtime/clock.ts";
import { createLogger } from "../../../src/runtime/logging.ts";
import { irisInferenceBody, startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { agentConfig, sampleValue } from "./support/agent-fixture.ts";

const KEY = "s3cret-test-key";
const FEATURES = IRIS_FEATURES;
const WINDOW = 2000;

let server: RunningMlserver;
let agent: Awaited<ReturnType<typeof startAgent>>;
const rows = irisRows;

async function infer(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${agent.url}/v2/models/iris/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${KEY}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function agentMetrics(): Promise<string> {
  return (await fetch(`${agent.metricsUrl}/metrics`)).text();
}

before(async () => {
  server = await startMlserver({ metrics: true });
  const dir = await mkdtemp(join(tmpdir(), "mdo-agent-e2e-"));
  await writeFile(join(dir, "keys"), `${KEY}\n`);
  const config = await agentConfig(server.port, {
    model: { name: "iris", version: "v1" },
    upstream: { host: "127.0.0.1", port: server.port, readinessPath: "/v2/models/iris/ready", livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 256 * 1024, timeoutMs: 5000 },
    cache: { maxEntries: 1000, ttlMs: 60_000 },
    auth: { apiKeyFile: join(dir, "keys") },
  });
  const baseline = buildBaseline(rows(5000, 1), { columns: FEATURES, bins: 10 });
  agent = await startAgent(config, {
    logger: createLogger({ level: "warn" }),
    drift: driftHookFor(baseline, WINDOW, realClock),
  });
});
after(async () => {
  await agent?.stop();
  await server?.stop();
});

test("v2 inference works end to end through the agent, with the trained model's answers", async () => {
  const res = await infer(irisInferenceBody(server.expected.rows));
  assert.equal(res.status, 200);
  const body = (await res.json()) as { outputs: { data: number[] }[] };
  assert.deepEqual(body.outputs[0]?.data, server.expected.predictions);
});

test("readiness follows the model's load state", async () => {
  assert.equal((await fetch(`${agent.url}/readyz`)).status, 200);
  await server.unloadModel();
  await waitUntil(async () => (await fetch(`${agent.url}/readyz`)).status !== 200, 5000);
  await server.loadModel();
  await waitUntil(async () => (await fetch(`${agent.url}/readyz`)).status === 200, 10_000);
});

test("the request counter equals the requests sent", async () => {
  const before = sampleValue(await agentMetrics(), "mdo_agent_requests_total", { route: "infer", code: "200" }) ?? 0;
  for (let i = 0; i < 25; i++) assert.equal((await infer(irisInferenceBody(rows(1, 100 + i)))).status, 200);
  const after = sampleValue(await agentMetrics(), "mdo_agent_requests_total", { route: "infer", code: "200" }) ?? 0;
  assert.equal(after - before, 25);
});

test("a cache hit returns the identical body without reaching the model server", async () => {
  const served = async (): Promise<number> => {
    const text = await (await fetch(server.metricsUrl!)).text();
    return text.split("\n").filter((l) => l.startsWith("model_infer_request_success_total{"))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  };
  const body = irisInferenceBody([[6.1, 2.8, 4.7, 1.2]]);
  const first = await infer(body);
  const firstText = await first.text();
  assert.equal(first.headers.get("x-mdo-cache"), "miss");
  const reachedBefore = await served();
  const second = await infer(body);
  assert.equal(second.headers.get("x-mdo-cache"), "hit");
  assert.equal(await second.text(), firstText);
  assert.equal(await served(), reachedBefore, "MLServer saw no request for the hit");
});

test("a wrong API key gets 401, an oversized body 413, and the agent keeps serving", async () => {
  const denied = await infer(irisInferenceBody(server.expected.rows), { authorization: "Bearer wrong" });
  assert.equal(denied.status, 401);
  assert.doesNotMatch(await denied.text(), /s3cret/);
  const huge = JSON.stringify(irisInferenceBody(rows(8000, 7)));
  assert.ok(huge.length > 256 * 1024);
  assert.equal((await infer(huge)).status, 413);
  assert.equal((await infer(irisInferenceBody(server.expected.rows))).status, 200);
});

test("drift: traffic like the baseline gives PSI < 0.1; one feature shifted by 1 sd gives PSI > 0.25 on it only", async () => {
  const send = async (seed: number, shift?: number[]): Promise<void> => {
    for (let i = 0; i < WINDOW / 100; i++) {
      const res = await infer(irisInferenceBody(rows(100, seed * 1000 + i, shift)));
      assert.equal(res.status, 200);
    }
  };
  const report = async (): Promise<{ windowSamples: number; features: { name: string; psi: number }[] }> =>
    (await (await fetch(`${agent.metricsUrl}/drift`)).json()) as { windowSamples: number; features: { name: string; psi: number }[] };

  await send(2); // may close a window that still holds the earlier tests' rows
  await send(3);
  const calm = await report();
  console.log(`PSI on baseline-like traffic: ${calm.features.map((f) => `${f.name}=${f.psi.toFixed(3)}`).join(" ")}`);
  for (const f of calm.features) assert.ok(f.psi < 0.1, `${f.name} PSI ${f.psi}`);

  await send(4, [0, 0, 1, 0]);
  const shifted = await report();
  console.log(`PSI with petal_length shifted by 1 sd: ${shifted.features.map((f) => `${f.name}=${f.psi.toFixed(3)}`).join(" ")}`);
  for (const f of shifted.features) {
    if (f.name === "petal_length") assert.ok(f.psi > 0.25, `${f.name} PSI ${f.psi}`);
    else assert.ok(f.psi < 0.1, `${f.name} PSI ${f.psi}`);
  }
  assert.match(await agentMetrics(), /mdo_agent_drift_psi\{[^}]*feature="petal_length"[^}]*\} [0-9.]+/);
});

test("a killed model server gives fast 502/503 and readiness false; a restart recovers", async () => {
  await server.kill();
  const started = Date.now();
  const res = await infer(irisInferenceBody([[5.0, 3.1, 1.5, 0.2]]));
  assert.ok([502, 503].includes(res.status), `status ${res.status}`);
  assert.ok(Date.now() - started < 1000, "answered at once, not after a timeout");
  await waitUntil(async () => (await fetch(`${agent.url}/readyz`)).status !== 200, 5000);
  await server.restart();
  await waitUntil(async () => (await fetch(`${agent.url}/readyz`)).status === 200, 10_000);
  assert.equal((await infer(irisInferenceBody([[5.0, 3.1, 1.5, 0.2]]))).status, 200);
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
