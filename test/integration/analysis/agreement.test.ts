// The agreement check against real parts: three stable `mdo agent` processes (revision r1) mirror
// every request to a candidate agent (r2) in front of a model that answers odd sums differently —
// two of them labelled candidate r2, one r3 — and a real Prometheus scrapes them. Both providers
// must count exactly the r2 comparisons (raw counters, not increase()), so they agree to the row.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { AgentConfig } from "../../../src/agent/config.ts";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { createAnalyzer, type MetricsAnalyzer } from "../../../src/analysis/index.ts";
import { realClock } from "../../../src/runtime/clock.ts";
import type { Verdict } from "../../../src/rollout/verdict.ts";
import { startPrometheus, type RunningPrometheus } from "../../support/prometheus.ts";
import { inferBody, sampleValue } from "../agent/support/agent-fixture.ts";
import { FakeModelServer } from "../agent/support/fake-model-server.ts";
import { startAgentProcess, type AgentProcess } from "./support/agents.ts";

const NAMESPACE = "agreement-it";
const NAME = "fraud";
const stableModel = new FakeModelServer();
const candidateModel = new FakeModelServer();
const agents: AgentProcess[] = [];
let candidate: AgentProcess;
/** Stable agents: a and b mirror as candidate r2, c as candidate r3 (same candidate agent). */
let stable: { a: AgentProcess; b: AgentProcess; c: AgentProcess };
let prometheus: RunningPrometheus | undefined;
let analyzer: MetricsAnalyzer;

const upstream = (port: number): AgentConfig["upstream"] => ({ host: "127.0.0.1", port, readinessPath: "/v2/health/ready", livenessPath: "/v2/health/live" });

async function startStable(pod: string, label: string): Promise<AgentProcess> {
  const agent = await startAgentProcess(pod, stableModel.port, {
    revision: "r1", model: { name: NAME, version: "v1" }, upstream: upstream(stableModel.port),
    shadow: { candidate: label, url: candidate.url, sampleRate: 1, maxInFlight: 64, timeoutMs: 5000, comparison: { mode: "label" } },
  });
  agents.push(agent);
  return agent;
}

before(async () => {
  await stableModel.start();
  await candidateModel.start();
  // The candidate's model is off by one on odd sums.
  candidateModel.predict = (sum) => (sum % 2 === 1 ? sum + 1 : sum);
  candidate = await startAgentProcess(`${NAME}-r2-a`, candidateModel.port, { revision: "r2", model: { name: NAME, version: "v2" }, upstream: upstream(candidateModel.port) });
  agents.push(candidate);
  stable = { a: await startStable(`${NAME}-r1-a`, "r2"), b: await startStable(`${NAME}-r1-b`, "r2"), c: await startStable(`${NAME}-r1-c`, "r3") };
  prometheus = await startPrometheus({
    targets: agents.map((a) => ({ address: a.metricsAddress, labels: { namespace: NAMESPACE, pod: a.pod } })),
    scrapeIntervalMs: 500,
  });
  await prometheus.waitForTargets();
  const byRevision: Record<string, AgentProcess[]> = { r1: [stable.a, stable.b, stable.c], r2: [candidate] };
  analyzer = createAnalyzer({
    prometheusUrl: prometheus.url,
    locator: { locate: (_namespace, _name, revision) => Promise.resolve((byRevision[revision] ?? []).map((a) => ({ pod: a.pod, url: a.metricsUrl }))) },
    clock: realClock,
    timeoutMs: 5000,
  });
});

after(async () => {
  await prometheus?.stop();
  for (const agent of agents) await agent.stop();
  await stableModel.kill();
  await candidateModel.kill();
});

/** Sends one request per sum to `agent`, then waits until its mirrors were all compared. */
async function sendSums(agent: AgentProcess, label: string, sums: number[]): Promise<void> {
  for (const x of sums) {
    const res = await fetch(`${agent.url}/v2/models/${NAME}/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: inferBody([x]) });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  await until(async () => sampleValue(await (await fetch(`${agent.metricsUrl}/metrics`)).text(), "mdo_agent_shadow_requests_total", { candidate: label, result: "compared" }) === sums.length, `${agent.pod}: ${sums.length} compared`);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await sleep(200);
  }
}

async function promValue(query: string): Promise<number> {
  const res = await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

function analyze(provider: "agent" | "prometheus", agreement: Record<string, unknown>, stableRevision = "r1"): Promise<Verdict[]> {
  return analyzer.analyze({
    namespace: NAMESPACE, name: NAME, revision: "r2", stableRevision, intervalMs: 10_000, shadowing: true,
    analysis: AnalysisSpec.parse({ provider, agreement }),
  });
}

test("both providers count the stable revision's comparisons with this candidate only, to the row", async () => {
  const range = (from: number, count: number, step = 1): number[] => Array.from({ length: count }, (_, i) => from + i * step);
  // r2: a compares 60 rows (even sums agree: 30), b 40 even sums (all agree): 70 of 100.
  // r3: c compares 50 even sums (all agree), which must not lift r2's share.
  await Promise.all([sendSums(stable.a, "r2", range(0, 60)), sendSums(stable.b, "r2", range(0, 40, 2)), sendSums(stable.c, "r3", range(0, 50, 2))]);
  await until(async () => (await promValue(`sum(mdo_agent_shadow_rows_total{namespace="${NAMESPACE}",candidate="r2"})`)) === 100
    && (await promValue(`sum(mdo_agent_shadow_rows_total{namespace="${NAMESPACE}",candidate="r3"})`)) === 50, "Prometheus scraped every comparison");

  for (const provider of ["agent", "prometheus"] as const) {
    const [verdict] = await analyze(provider, { min: 0.8, minRows: 100 });
    console.log(`${provider}: ${verdict?.status}/${verdict?.reason} ${verdict?.message}`);
    assert.deepEqual([verdict?.check, verdict?.status, verdict?.reason, verdict?.value], ["agreement", "fail", "AgreementBelowMin", 0.7], provider);
    assert.match(verdict?.message ?? "", /^the candidate agreed on 70 of 100 rows \(0\.7\), below the minimum 0\.8 \(100 requests compared, 0 candidate errors, 0 dropped; counted by /, provider);
    const [passed] = await analyze(provider, { min: 0.7, minRows: 100 });
    assert.deepEqual([passed?.status, passed?.reason], ["pass", "AnswersAgree"], `${provider}: at exactly min`);
    const [few] = await analyze(provider, { min: 0.7, minRows: 101 });
    assert.deepEqual([few?.status, few?.reason], ["noData", "TooFewComparedRows"], provider);
  }
  // A revision that mirrored nothing to r2: the agent provider finds no agents, Prometheus no rows.
  assert.equal((await analyze("agent", { min: 0.8 }, "r0"))[0]?.reason, "NoAgents");
  assert.equal((await analyze("prometheus", { min: 0.8 }, "r0"))[0]?.reason, "TooFewComparedRows");
});
