// Issue 5 end to end, with real parts: the real operator decides a canary rollout from what a
// real Prometheus (provider prometheus) or the real agents themselves (provider agent) measure.
// Each revision's `mdo agent` runs on 127.0.0.1 with the config the operator wrote for it, in
// front of its own real MLServer (scikit-learn iris model); a load generator sends v2 inference
// requests at a constant rate, split between the revisions by the weights in status.traffic.
//
// Scenarios, each with both providers:
//   healthy  the canary serves the same model and healthy inputs: promoted after both steps.
//   failing  the canary's model was trained on three features, so MLServer answers 500 to
//            every real (four-feature) request: rolled back on the success rate.
//   drift    the canary serves the healthy model, but its requests' petal length is moved up by
//            one baseline standard deviation: rolled back on drift (the χ² homogeneity test of the
//            canary's 100-row windows against the baseline and the stable revision's windows).
//
// Runtime: about 3.5 minutes on a shared 2-core machine — the three MLServers start once
// (about 15 s), each scenario takes 25 to 50 s (10 s analysis intervals, 5 s pauses).
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, recordVersions, scrape, sumMetric } from "../../support/mdep.ts";
import { irisInferenceBody, startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { eventReasons, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";
import { startCanaryStack } from "../../support/e2e/canary-stack.ts";
import { baselineConfigMap, cyclingRows, serveModelExpecting, shifted, writeIrisCsv, type IrisData } from "../../support/e2e/iris.ts";
import { startWeightedLoad, type Backend } from "../../support/e2e/weighted-load.ts";
import { SCENARIOS, type Outcome, type Scenario } from "./support/scenarios.ts";
import { checksSeen, eventsAbout, rolloutStartedMs } from "./support/status-views.ts";

/** The ModelDeployment's name: MLServer serves the model under it (readiness and inference paths). */
const NAME = "iris";
const BASELINE = "iris-baseline";
const PROVIDERS = ["prometheus", "agent"] as const;
const INTERVAL_S = 10;
const FAILURE_LIMIT = 1;
/** Requests per second over both revisions: modest on a shared 2-core machine. */
const RATE = 30;
const STEPS = [{ weight: 50, pause: "5s" }, { weight: 75, pause: "5s" }];

const servers: Partial<Record<"stable" | "healthy" | "failing", RunningMlserver>> = {};
let iris: IrisData;
let baselineYaml: string;
let petalLengthStd: number;
let dataDir: string | undefined;

before(async () => {
  const started = await Promise.allSettled((["stable", "healthy", "failing"] as const).map(async (role) => {
    servers[role] = await startMlserver({ modelName: NAME, log: (m) => console.log(`[mlserver ${role}] ${m}`) });
  }));
  const failed = started.find((s) => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  await serveModelExpecting(servers.failing!, 3);
  dataDir = await mkdtemp(join(tmpdir(), "mdo-e2e-data-"));
  iris = await writeIrisCsv(servers.stable!.envDir, dataDir);
  const built = await baselineConfigMap(iris, BASELINE);
  baselineYaml = built.yaml;
  const petal = built.baseline.features.find((f) => f.name === "petal_length");
  assert.ok(petal?.kind === "numeric" && petal.std !== undefined, "the baseline profiles petal_length with its standard deviation");
  petalLengthStd = petal.std;
});

after(async () => {
  for (const server of Object.values(servers)) await server.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

function manifest(ns: string, provider: (typeof PROVIDERS)[number]): string {
  return JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: ns },
    spec: {
      model: { uri: `s3://models/${NAME}/v1`, format: "sklearn", version: "v1" },
      replicas: 4,
      rollout: {
        strategy: "Canary", steps: STEPS,
        analysis: {
          interval: `${INTERVAL_S}s`, failureLimit: FAILURE_LIMIT, provider, minRequests: 20,
          successRate: { min: 0.95 }, latencyP99: { maxMs: 2000 },
          // One agent per revision closes a window every 100 rows: test each (the smallest minimum).
          drift: { minWindow: 100 },
        },
      },
      monitoring: { drift: { baselineRef: { configMapName: BASELINE }, window: 100 } },
    },
  });
}

const bodies = (transform?: (row: number[]) => number[]): (() => unknown) => {
  const next = cyclingRows(iris, transform);
  return () => irisInferenceBody([next()]);
};

async function waitForMd(stack: { getMdep(n: string): Promise<RolloutMdepView> }, what: string, timeoutMs: number, check: (md: RolloutMdepView) => boolean): Promise<RolloutMdepView> {
  let last: RolloutMdepView | undefined;
  try {
    await waitFor(what, timeoutMs, async () => check(last = await stack.getMdep(NAME)));
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last?.status)}`, { cause: error });
  }
  return last!;
}

for (const scenario of SCENARIOS) {
  for (const provider of PROVIDERS) {
    test(`${scenario.title} (provider ${provider})`, { timeout: 300_000 }, async (t) => {
      await runScenario(t, scenario, provider);
    });
  }
}

async function runScenario(t: { after(fn: () => Promise<void>): void }, scenario: Scenario, provider: (typeof PROVIDERS)[number]): Promise<void> {
  const stack = await startCanaryStack(`e2e-${scenario.kind}-${provider === "prometheus" ? "prom" : "agent"}`, NAME);
  t.after(() => stack.stop());
  const { cluster, ns } = stack;
  await kubectlOk(cluster, ["apply", "-n", ns, "-f", "-"], baselineYaml);
  await kubectlOk(cluster, ["apply", "-f", "-"], manifest(ns, provider));
  const v1 = await waitForMd(stack, "Ready on v1", 90_000, (md) => condition(md, "Ready")?.status === "True" && md.status?.stable?.modelVersion === "v1");
  const stableRevision = v1.status?.stable?.revision ?? "";
  const stableAgent = await stack.startAgent("stable", stableRevision, servers.stable!.port);

  const backends = new Map<string, Backend>([[stableRevision, { url: stableAgent.inferUrl, body: bodies() }]]);
  const load = startWeightedLoad({ ratePerSecond: RATE, readWeights: () => stack.trafficWeights(NAME), backend: (r) => backends.get(r) });
  stack.defer(() => load.stop());
  const recorder = await recordVersions(cluster, ns, NAME);
  let recorded: Promise<RolloutMdepView[]> | undefined;
  const stopRecorder = (): Promise<RolloutMdepView[]> => (recorded ??= recorder.stop());
  stack.defer(async () => { await stopRecorder(); });

  await setModelVersion(cluster, ns, NAME, "v2");
  const rolling = await waitForMd(stack, "rollout started", 30_000, (md) => md.status?.rollout?.canary !== undefined);
  const canaryRevision = rolling.status?.rollout?.canary?.revision ?? "";
  const canaryAgent = await stack.startAgent("canary", canaryRevision, servers[scenario.canaryServer]!.port);
  backends.set(canaryRevision, { url: canaryAgent.inferUrl, body: bodies(scenario.kind === "drift" ? shifted(2, petalLengthStd) : undefined) });
  await stack.prometheus.waitForTargets();

  const done = await waitForMd(stack, "promoted or rolled back", 180_000, (md) => md.status?.rollout?.phase === "RolledBack"
    || (md.status?.rollout?.phase === "Stable" && md.status.stable?.revision === canaryRevision));
  // Keep sending until the load generator has seen the decision's weights (it polls every 500 ms).
  // status.traffic may still change after the decision (a rolled-back canary's entry goes once it
  // drained), so each try compares with the weights the API has now.
  const sorted = (weights: ReadonlyMap<string, number>): string => JSON.stringify(Object.fromEntries([...weights].sort(([a], [b]) => a.localeCompare(b))));
  let current = "";
  try {
    await waitFor("the load generator to see the decision's weights", 20_000, async () => JSON.stringify(load.weightsSeen.at(-1)?.weights) === (current = sorted(await stack.trafficWeights(NAME))));
  } catch (error) {
    throw new Error(`${(error as Error).message}: status.traffic ${current}, the load generator's last ${JSON.stringify(load.weightsSeen.at(-1))}`, { cause: error });
  }
  await load.stop();
  for (const [role, agent] of [["stable", stableAgent], ["canary", canaryAgent]] as const) {
    const lines = (await agent.log()).trim();
    if (lines !== "") console.log(`[e2e ${scenario.kind}/${provider}] ${role} agent logged:\n${lines}`);
  }
  const versions = await stopRecorder();
  const role = (r: string): string => (r === canaryRevision ? "canary" : r === stableRevision ? "stable" : r);
  const tally = Object.fromEntries([...load.tally].map(([r, v]) => [role(r), { unrouted: v.unrouted, ...Object.fromEntries(v.statuses) }]));
  const epochs = load.weightsSeen.map((e) => Object.entries(e.weights).map(([r, w]) => `${role(r)} ${w}% ${e.picks[r] ?? 0}`).join(", "));
  console.log(`[e2e ${scenario.kind}/${provider}] sent ${JSON.stringify(tally)}; weight (picks) per status.traffic seen: ${epochs.join(" | ")}`);
  // The split followed the weights: smooth round-robin is off by at most a request or two per weight set.
  for (const epoch of load.weightsSeen) {
    const total = Object.values(epoch.picks).reduce((a, b) => a + b, 0);
    for (const [revision, weight] of Object.entries(epoch.weights)) {
      assert.ok(Math.abs((epoch.picks[revision] ?? 0) - (total * weight) / 100) <= 2, `${role(revision)} got ${epoch.picks[revision] ?? 0} of ${total} requests at ${weight}%`);
    }
  }

  const outcome: Outcome = {
    done, stableRevision, canaryRevision, versions,
    checks: checksSeen(versions, canaryRevision),
    events: await eventsAbout(cluster, ns, NAME, ["AnalysisPassed", "AnalysisFailed", "AnalysisInconclusive", "Promoted"]),
    reasons: await eventReasons(cluster, ns, NAME),
    rolloutStartedMs: rolloutStartedMs(rolling),
    tally: load.tally,
    canaryWeightsSeen: load.weightsSeen.map((w) => w.weights[canaryRevision] ?? 0),
  };
  for (const [check, list] of Object.entries(outcome.checks)) console.log(`[e2e ${scenario.kind}/${provider}] ${check}: ${list.map((c) => `${c.status}/${c.reason} ${c.value ?? "-"}`).join(", ")}`);
  scenario.verify(outcome, { intervalMs: INTERVAL_S * 1000, failureLimit: FAILURE_LIMIT });
  // The status write persists each decision of the rollout: a failed reconcile loses the
  // interval's verdict (the analysis runs again on the retry), so none may fail.
  const page = await scrape(stack.operator.healthAddress);
  const failed = sumMetric(page, "mdo_reconcile_total", { result: "retry" }) + sumMetric(page, "mdo_reconcile_total", { result: "terminal" });
  assert.equal(failed, 0, `${failed} reconciles failed during the scenario; see the operator's "Reconcile failed" log lines`);
}
