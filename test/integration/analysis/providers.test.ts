// The two providers against real parts: two `mdo agent` processes (one in front of a real
// MLServer, one in front of a stand-in that answers 500 to every 4th request) and a real
// Prometheus scraping both twice a second with the target labels docs/analysis.md prescribes.
// Both providers must see no requests before traffic, then the same success rate, a p99 in the
// same histogram bucket, and the same drift (the MLServer agent has a baseline, 100-row windows).
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { LATENCY_BUCKETS } from "../../../src/agent/metrics.ts";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { createAnalyzer, type MetricsAnalyzer } from "../../../src/analysis/index.ts";
import { realClock } from "../../../src/runtime/clock.ts";
import { buildBaseline } from "../../../src/drift/index.ts";
import type { Verdict } from "../../../src/rollout/verdict.ts";
import { irisInferenceBody, startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { startPrometheus, type RunningPrometheus } from "../../support/prometheus.ts";
import { FailingModelServer, sendRequests, startAgentProcess, type AgentProcess } from "./support/agents.ts";

const NAMESPACE = "analysis-it";
const NAME = "fraud";
const REVISION = "r2";
const PER_AGENT = 400;

let mlserver: RunningMlserver | undefined;
const failing = new FailingModelServer(4, 30);
const agents: AgentProcess[] = [];
let prometheus: RunningPrometheus | undefined;
let analyzer: MetricsAnalyzer;
let baselineDir: string | undefined;

/** An iris-like baseline: deterministic spread around the data set's means (xorshift32). */
function baselineRows(count: number): number[][] {
  let s = 7;
  const uniform = (): number => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
  return Array.from({ length: count }, () => [5.8, 3.0, 3.8, 1.2].map((m, i) => m + [0.8, 0.4, 1.7, 0.7][i]! * (uniform() * 2 - 1)));
}

before(async () => {
  mlserver = await startMlserver({ modelName: NAME });
  await failing.start();
  const common = { revision: REVISION, model: { name: NAME, version: "v2" } };
  baselineDir = await mkdtemp(join(tmpdir(), "mdo-analysis-baseline-"));
  const baseline = buildBaseline(baselineRows(5000), { columns: ["sepal_length", "sepal_width", "petal_length", "petal_width"], bins: 10 });
  await writeFile(join(baselineDir, "baseline.json"), JSON.stringify(baseline));
  agents.push(await startAgentProcess(`${NAME}-${REVISION}-a`, mlserver.port, {
    ...common,
    drift: { baselineFile: join(baselineDir, "baseline.json"), window: 100 }, upstream: { host: "127.0.0.1", port: mlserver.port, readinessPath: `/v2/models/${NAME}/ready`, livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 64 * 1024, timeoutMs: 5000 },
  }));
  agents.push(await startAgentProcess(`${NAME}-${REVISION}-b`, failing.port, common));
  prometheus = await startPrometheus({
    targets: agents.map((a) => ({ address: a.metricsAddress, labels: { namespace: NAMESPACE, pod: a.pod } })),
    // Each series' increase() is extrapolated by up to a scrape interval: short ones keep the
    // ratio of two targets' counts close to the true one.
    scrapeIntervalMs: 500,
  });
  await prometheus.waitForTargets();
  const located = agents.map((a) => ({ pod: a.pod, url: a.metricsUrl }));
  analyzer = createAnalyzer({
    prometheusUrl: prometheus.url,
    // The stable revision (r1) has no agents: the canary is compared with the baseline only.
    locator: { locate: (_namespace, _name, revision) => Promise.resolve(revision === REVISION ? located : []) },
    clock: realClock,
    timeoutMs: 5000,
  });
});

after(async () => {
  await prometheus?.stop();
  for (const agent of agents) await agent.stop();
  await failing.stop();
  await mlserver?.stop();
  if (baselineDir !== undefined) await rm(baselineDir, { recursive: true, force: true });
});

function analysis(provider: "agent" | "prometheus"): AnalysisSpec {
  return AnalysisSpec.parse({
    provider,
    successRate: { min: 0.9 },
    latencyP99: { maxMs: 1000 },
    // The agent closes a window every 100 rows; test each.
    drift: { minWindow: 100 },
    metrics: [
      provider === "agent"
        ? { name: "failures", provider, query: 'mdo_agent_requests_total{code="500"}', max: 1000 }
        : { name: "failures", provider, max: 1000, query: 'sum(increase(mdo_agent_requests_total{namespace="{{namespace}}",model="{{name}}",revision="{{revision}}",code="500"}[{{interval}}]))' },
    ],
  });
}

function analyze(provider: "agent" | "prometheus", intervalMs: number): Promise<Verdict[]> {
  return analyzer.analyze({ namespace: NAMESPACE, name: NAME, revision: REVISION, stableRevision: "r1", intervalMs, analysis: analysis(provider) });
}

const byCheck = (verdicts: Verdict[]): Record<string, Verdict> => Object.fromEntries(verdicts.map((v) => [v.check, v]));

/** Raw counter sum in Prometheus (no rate): the requests it has scraped so far. */
async function scrapedRequests(): Promise<number> {
  const query = `sum(mdo_agent_requests_total{namespace="${NAMESPACE}",revision="${REVISION}"})`;
  const res = await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

async function waitForScraped(count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await scrapedRequests()) < count) {
    if (Date.now() > deadline) throw new Error(`Prometheus did not see ${count} requests`);
    await sleep(200);
  }
  await sleep(1500); // one more scrape, so rates see the last samples
}

function bucketOf(ms: number): [number, number] {
  const bounds = [0, ...LATENCY_BUCKETS.map((s) => s * 1000)];
  const i = bounds.findIndex((b) => ms <= b);
  return [bounds[i - 1] ?? 0, bounds[i] ?? Number.POSITIVE_INFINITY];
}

test("without traffic both providers say NoRequests, and drift is unavailable (no baseline)", async () => {
  for (const provider of ["agent", "prometheus"] as const) {
    const v = byCheck(await analyze(provider, 10_000));
    assert.deepEqual([v.successRate?.status, v.successRate?.reason], ["noData", "NoRequests"], `${provider}: ${v.successRate?.message}`);
    assert.deepEqual([v.latencyP99?.status, v.latencyP99?.reason], ["noData", "NoRequests"], provider);
    assert.deepEqual([v.drift?.status, v.drift?.reason], ["noData", "DriftUnavailable"], `${provider}: ${v.drift?.message}`);
  }
});

test("a model server failing every 4th request: both providers measure the same success rate and p99", async () => {
  // Warm-up: every series exists in Prometheus before the measured traffic (a counter's first
  // scrape is not an increase), and the agent provider keeps this as its previous scrape.
  await sendRequests(`${agents[0]!.url}/v2/models/${NAME}/infer`, irisInferenceBody(mlserver!.expected.rows), 1, 1);
  await sendRequests(`${agents[1]!.url}/v2/models/${NAME}/infer`, irisInferenceBody([[1, 2, 3, 4]]), 4, 1);
  await waitForScraped(5);
  await analyze("agent", 10_000);
  await sleep(4000);
  const quiet = byCheck(await analyze("prometheus", 3000));
  assert.equal(quiet.successRate?.reason, "NoRequests", `flat counters are no requests: ${quiet.successRate?.message}`);

  const started = Date.now();
  const [a, b] = await Promise.all([
    sendRequests(`${agents[0]!.url}/v2/models/${NAME}/infer`, irisInferenceBody(mlserver!.expected.rows), PER_AGENT),
    sendRequests(`${agents[1]!.url}/v2/models/${NAME}/infer`, irisInferenceBody([[1, 2, 3, 4]]), PER_AGENT),
  ]);
  assert.deepEqual([a.get(200), b.get(200), b.get(500)], [PER_AGENT, PER_AGENT * 0.75, PER_AGENT * 0.25]);
  await waitForScraped(5 + 2 * PER_AGENT);
  // The window covers the measured traffic, not the warm-up (more than 5 s before it).
  const windowMs = Math.ceil((Date.now() - started) / 1000) * 1000 + 2000;

  const viaAgents = byCheck(await analyze("agent", windowMs));
  const viaPrometheus = byCheck(await analyze("prometheus", windowMs));
  for (const [name, v] of Object.entries({ agent: viaAgents, prometheus: viaPrometheus })) {
    console.log(`${name}: ${Object.values(v).map((x) => `${x.check}=${x.status}/${x.reason} ${x.message}`).join("\n  ")}`);
  }
  const expected = 1 - (PER_AGENT * 0.25) / (2 * PER_AGENT);
  assert.equal(viaAgents.successRate?.value, expected, "the agent provider counts exactly");
  assert.deepEqual([viaAgents.successRate?.status, viaAgents.successRate?.reason], ["fail", "SuccessRateBelowMin"]);
  assert.ok(Math.abs((viaPrometheus.successRate?.value ?? 0) - expected) < 0.01, `prometheus success rate ${viaPrometheus.successRate?.value}`);
  assert.deepEqual([viaPrometheus.successRate?.status, viaPrometheus.successRate?.reason], ["fail", "SuccessRateBelowMin"]);

  const p99Agents = viaAgents.latencyP99?.value ?? Number.NaN;
  const p99Prometheus = viaPrometheus.latencyP99?.value ?? Number.NaN;
  // Within the histogram's resolution: at most the width of the bucket that holds the p99.
  const [lower, upper] = bucketOf(p99Agents);
  assert.ok(Math.abs(p99Prometheus - p99Agents) <= upper - lower, `p99 ${p99Agents} ms (agents) vs ${p99Prometheus} ms (Prometheus), bucket (${lower}, ${upper}]`);
  assert.ok(p99Agents > 30, "the stand-in's 30 ms answers are half of the requests, so p99 is above 30 ms");
  assert.equal(viaAgents.latencyP99?.status, "pass");
  assert.equal(viaPrometheus.latencyP99?.status, "pass");

  // Drift: only agent a has a baseline; both read its latest window (traffic has stopped) and run
  // the same four tests (one pod: pooled or alone, the same counts), so the same adjusted p-value.
  assert.deepEqual([viaAgents.drift?.status, viaAgents.drift?.reason], ["fail", "DriftDetected"], viaAgents.drift?.message);
  assert.deepEqual([viaPrometheus.drift?.status, viaPrometheus.drift?.reason], ["fail", "DriftDetected"], viaPrometheus.drift?.message);
  assert.match(viaAgents.drift?.message ?? "", /\(4 tests at false-alarm rate 0\.01; window 100 rows; canary: 1 of 2 agents reporting, 100 rows; compared with the baseline only \(the stable revision has no drift report\)\)/);
  assert.match(viaPrometheus.drift?.message ?? "", /4 tests at false-alarm rate 0\.01; window 100 rows; each pod's window tested alone/);
  assert.ok(viaAgents.drift?.value !== undefined && Math.abs(viaAgents.drift.value - (viaPrometheus.drift?.value ?? Number.NaN)) <= 1e-6 * viaAgents.drift.value, `${viaAgents.drift?.value} vs ${viaPrometheus.drift?.value}`);
  const stable = await analyzer.readRevisionDrift(NAMESPACE, NAME, REVISION);
  assert.ok(stable.ok, stable.ok ? "" : stable.message);
  assert.deepEqual([stable.value.reporting, stable.value.agents, stable.value.window], [1, 2, 100]);
  assert.ok(stable.value.maxPSI > 0.25, `five repeated rows are far from the baseline: max PSI ${stable.value.maxPSI}`);
  assert.equal(stable.value.features.length, 4);

  assert.equal(viaAgents.failures?.value, PER_AGENT * 0.25);
  assert.ok(Math.abs((viaPrometheus.failures?.value ?? 0) - PER_AGENT * 0.25) <= PER_AGENT * 0.25 * 0.15, `prometheus failures ${viaPrometheus.failures?.value}`);
});
