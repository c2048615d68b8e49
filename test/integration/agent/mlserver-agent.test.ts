// The agent in front of a real MLServer (scikit-learn classifier trained in the test), as in a pod:
// inference end to end, readiness following the model, exact counters, cache hits that never reach
// the server, 401, 413, a killed server, and drift on real traffic (PSI per feature, and the
// model's outputs against the baseline's prediction profile), and ground truth joined with the
// real model's answers, and shadow traffic to a second MLServer with a genuinely different model.
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
import { serveModelExpecting } from "../../support/e2e/iris.ts";
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

test("prediction drift: the agent counts the real model's answers into the window, and a shift in the inputs shows in the outputs", async () => {
  // The baseline profiles the model's own predictions on baseline-like rows (asked of MLServer directly).
  const predict = async (url: string, batch: number[][], headers: Record<string, string> = {}): Promise<number[]> => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(irisInferenceBody(batch)) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data ?? [];
  };
  const training = rows(5000, 11);
  const classes = await predict(`http://127.0.0.1:${server.port}/v2/models/iris/infer`, training);
  const baseline = buildBaseline(training.map((r, i) => [...r, String(classes[i])]), { columns: [...FEATURES, "class"], bins: 10, prediction: "class", categorical: ["class"] });
  const config = await agentConfig(server.port, {
    model: { name: "iris", version: "v1" },
    upstream: { host: "127.0.0.1", port: server.port, readinessPath: "/v2/models/iris/ready", livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 256 * 1024, timeoutMs: 5000 },
  });
  const own = await startAgent(config, { logger: createLogger({ level: "warn" }), drift: driftHookFor(baseline, 1000, realClock) });
  try {
    type Report = { windowSamples: number; prediction?: { name: string; counts: number[]; baselineCounts: number[]; pValue: number; psi: number } };
    /** One window of 1000 rows in 10 requests; the answers' class counts in the profile's category order. */
    const window = async (seed: number, shift?: number[]): Promise<{ sent: number[]; report: Report }> => {
      const answered: number[] = [];
      for (let i = 0; i < 10; i++) answered.push(...await predict(`${own.url}/v2/models/iris/infer`, rows(100, seed * 100 + i, shift)));
      const categories = baseline.prediction?.kind === "categorical" ? baseline.prediction.categories : [];
      const sent = categories.map((c) => answered.filter((a) => String(a) === c).length);
      return { sent, report: (await (await fetch(`${own.metricsUrl}/drift`)).json()) as Report };
    };
    const calm = await window(21);
    assert.equal(calm.report.windowSamples, 1000);
    assert.deepEqual(calm.report.prediction?.counts, calm.sent, "the window counted exactly the classes the model answered");
    const shifted = await window(22, [0, 0, 1, 0]);
    assert.deepEqual(shifted.report.prediction?.counts, shifted.sent);
    console.log(`prediction drift: calm p ${calm.report.prediction?.pValue} PSI ${calm.report.prediction?.psi} (${calm.sent.join("/")}); petal_length +1 sd: p ${shifted.report.prediction?.pValue} PSI ${shifted.report.prediction?.psi} (${shifted.sent.join("/")})`);
    assert.ok((calm.report.prediction?.pValue ?? 0) > 1e-4, "outputs of baseline-like inputs look like the baseline's");
    assert.ok((shifted.report.prediction?.pValue ?? 1) < 1e-6, "shifted inputs move the outputs' class shares");
  } finally {
    await own.stop();
  }
});

test("ground truth: labels posted for the real model's predictions give exactly the offline accuracy", async () => {
  const config = await agentConfig(server.port, {
    model: { name: "iris", version: "v1" },
    upstream: { host: "127.0.0.1", port: server.port, readinessPath: "/v2/models/iris/ready", livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 256 * 1024, timeoutMs: 5000 },
    feedback: { kind: "classification", maxPredictions: 1000, ttlMs: 600_000 },
  });
  const own = await startAgent(config, { logger: createLogger({ level: "warn" }) });
  try {
    // Labels arrive later and independently of the model: a petal-length rule stands in for the truth.
    const truth = (row: number[]): number => ((row[2] ?? 0) < 2.5 ? 0 : (row[2] ?? 0) < 4.9 ? 1 : 2);
    const items: { requestId: string; labels: number[] }[] = [];
    let correct = 0;
    let labelled = 0;
    for (let i = 0; i < 20; i++) {
      const batch = rows(10, 300 + i);
      const res = await fetch(`${own.url}/v2/models/iris/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(irisInferenceBody(batch)) });
      assert.equal(res.status, 200);
      const predicted = ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data ?? [];
      const labels = batch.map(truth);
      labels.forEach((label, j) => { labelled++; if (predicted[j] === label) correct++; });
      items.push({ requestId: res.headers.get("x-mdo-request-id") ?? "", labels });
    }
    const posted = await fetch(`${own.url}/mdo/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ feedback: items }) });
    assert.equal(posted.status, 200);
    assert.ok(((await posted.json()) as { results: { status: string }[] }).results.every((r) => r.status === "joined"));
    const text = await (await fetch(`${own.metricsUrl}/metrics`)).text();
    const rowsScored = sampleValue(text, "mdo_agent_feedback_rows_total");
    const correctScored = sampleValue(text, "mdo_agent_feedback_correct_total");
    console.log(`ground truth: the agent scored ${correctScored} of ${rowsScored} correct; offline ${correct} of ${labelled} (accuracy ${(correct / labelled).toFixed(3)})`);
    assert.equal(rowsScored, labelled);
    assert.equal(correctScored, correct);
    assert.ok(correct > 0 && correct < labelled, "a rule that is not the model: some labels disagree");
  } finally {
    await own.stop();
  }
});

test("shadow: the stable agent mirrors to a candidate serving a genuinely different model, and its agreement equals the offline one", { timeout: 180_000 }, async () => {
  // The candidate: the same pipeline, strongly regularised (C = 0.01): it takes the same inputs and answers some rows differently.
  const weaker = await startMlserver({ modelName: "iris" });
  const agents: Awaited<ReturnType<typeof startAgent>>[] = [];
  try {
    await serveModelExpecting(weaker, 4, 0.01);
    const upstreamOf = (port: number) => ({ host: "127.0.0.1", port, readinessPath: "/v2/models/iris/ready", livenessPath: "/v2/health/live" });
    const limits = { maxRequestBytes: 256 * 1024, timeoutMs: 5000 };
    const candidate = await startAgent(await agentConfig(weaker.port, { model: { name: "iris", version: "v2" }, upstream: upstreamOf(weaker.port), limits }), { logger: createLogger({ level: "warn" }) });
    agents.push(candidate);
    const stable = await startAgent(await agentConfig(server.port, {
      model: { name: "iris", version: "v1" }, upstream: upstreamOf(server.port), limits,
      shadow: { candidate: "v2cand", url: candidate.url, sampleRate: 1, maxInFlight: 64, timeoutMs: 5000, comparison: { mode: "label" } },
    }), { logger: createLogger({ level: "warn" }) });
    agents.push(stable);
    const predict = async (url: string, batch: number[][]): Promise<number[]> => {
      const res = await fetch(`${url}/v2/models/iris/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(irisInferenceBody(batch)) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data ?? [];
    };
    let agree = 0;
    let total = 0;
    for (let i = 0; i < 30; i++) {
      const batch = rows(10, 700 + i);
      const [user, a, b] = await Promise.all([predict(stable.url, batch), predict(`http://127.0.0.1:${server.port}`, batch), predict(`http://127.0.0.1:${weaker.port}`, batch)]);
      assert.deepEqual(user, a, "the user gets the stable model's answer");
      b.forEach((label, j) => { total++; if (label === a[j]) agree++; });
    }
    const compared = async (): Promise<string> => (await fetch(`${stable.metricsUrl}/metrics`)).text();
    await waitUntil(async () => sampleValue(await compared(), "mdo_agent_shadow_requests_total", { candidate: "v2cand", result: "compared" }) === 30, 10_000);
    const text = await compared();
    console.log(`shadow: the agent counted ${sampleValue(text, "mdo_agent_shadow_agreeing_rows_total")} of ${sampleValue(text, "mdo_agent_shadow_rows_total")} rows agreeing; offline ${agree} of ${total}`);
    assert.equal(sampleValue(text, "mdo_agent_shadow_rows_total", { candidate: "v2cand" }), total);
    assert.equal(sampleValue(text, "mdo_agent_shadow_agreeing_rows_total", { candidate: "v2cand" }), agree);
    assert.ok(agree > 0 && agree < total, "genuinely different models: some rows disagree");
  } finally {
    for (const agent of agents.reverse()) await agent.stop();
    await weaker.stop();
  }
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
