// A chaos run: N ModelDeployments on v1, then each rolled out to v2 (Canary with analysis and one
// hook of each type) while seeded faults strike the operator process and the API server; at the
// end every check of chaos-checks.ts. The operator runs as its own process (SIGKILL is a crash)
// and reaches the API server through a relay that can cut its connections.
//
// What decides each rollout, all reachable over HTTP from the operator's process: the analysis is
// a custom `prometheus` check on a gauge this test serves and a real Prometheus scrapes (1 passes,
// 0 fails the first interval: kwok pods have no agents to read), and the hooks are answered by
// the same server as the seeded plan says (chaos-receiver.ts).
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MODEL_DEPLOYMENTS } from "../../src/controllers/modeldeployment/resource.ts";
import { loadClusterAccess } from "../../src/runtime/client/access/load.ts";
import { KubeClient } from "../../src/runtime/client/kube-client.ts";
import { Resources } from "../../src/runtime/client/resource.ts";
import { KubeTransport } from "../../src/runtime/client/transport.ts";
import { checkAll, type ChaosRecord, type EventView, type FinalView, type ReconcileBounds, type StatusSample } from "./chaos-checks.ts";
import { ApiRelay, runFaults, type FaultRecord } from "./chaos-faults.ts";
import { chaosSeed, makePlan, type ChaosShape } from "./chaos-plan.ts";
import { ChaosReceiver, QUALITY_METRIC } from "./chaos-receiver.ts";
import { details, summary } from "./chaos-report.ts";
import { createNamespace, sharedCluster, waitFor, type TestCluster } from "./cluster.ts";
import { OperatorProcess } from "./operator-process.ts";
import { startPrometheus, type RunningPrometheus } from "./prometheus.ts";
import { mdepWithRollout } from "./rollout.ts";

export const ANALYSIS_INTERVAL_MS = 10_000;
/** The quiet tail starts at least this long after the last fault ended. */
const AFTER_FAULT_MS = 5_000;

export interface ChaosRunOptions {
  readonly shape: ChaosShape;
  /** Namespace prefix. */
  readonly prefix: string;
  /** How long every rollout may take to end, from the start. */
  readonly outcomeTimeoutMs: number;
  /** How long to count reconciles after every rollout ended. */
  readonly quietMs: number;
  readonly bounds: ReconcileBounds;
}

type Mdep = FinalView & { metadata: { name: string; generation?: number } };

const log = (message: string): void => console.log(`[chaos] ${message}`);

export async function runChaos(options: ChaosRunOptions): Promise<void> {
  const seed = chaosSeed();
  const plan = makePlan(seed, options.shape);
  log(`seed ${seed} (replay: MDO_CHAOS_SEED=${seed})`);
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, options.prefix);
  const dir = await mkdtemp(join(tmpdir(), "mdo-chaos-"));
  /** MDO_CHAOS_KEEP=1 keeps the operator's log and the run's record (record.txt) after a passing run too. */
  const keep = process.env.MDO_CHAOS_KEEP === "1";
  const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  const receiver = await ChaosReceiver.start(plan.rollouts);
  let prometheus: RunningPrometheus | undefined;
  let relay: ApiRelay | undefined;
  let operator: OperatorProcess | undefined;
  let passed = false;
  const logFile = join(dir, "operator.log");
  try {
    prometheus = await startPrometheus({ targets: [{ address: receiver.address, labels: { namespace: ns } }], log });
    relay = await ApiRelay.start(cluster);
    const kubeconfig = await relay.writeKubeconfig(cluster, dir);
    const prometheusUrl = prometheus.url;
    const startOperator = (): Promise<OperatorProcess> => OperatorProcess.start(kubeconfig, { qps: 20, burst: 30, workers: 4 }, logFile, {
      reap: true, logLevel: process.env.MDO_TEST_LOG_LEVEL ?? "info", args: [`--namespace=${ns}`, `--prometheus-url=${prometheusUrl}`],
    });
    operator = await startOperator();
    await prometheus.waitForTargets();
    let live = operator;
    const rollout = {
      strategy: "Canary",
      steps: plan.shape.weights.map((weight) => ({ weight, pause: `${ANALYSIS_INTERVAL_MS / 1000}s` })),
      analysis: { interval: `${ANALYSIS_INTERVAL_MS / 1000}s`, metrics: [{ name: "quality", provider: "prometheus", query: `max(${QUALITY_METRIC}{namespace="{{namespace}}",model="{{name}}"})`, min: 1 }] },
      progressDeadline: "5m",
      webhooks: receiver.webhooks(),
    };
    const items = plan.rollouts.map((p) => JSON.parse(mdepWithRollout(p.name, ns, rollout, { replicas: 2, version: "v1" })) as unknown);
    await kubectlRetry(cluster, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
    const list = async (): Promise<Mdep[]> => (await client.list(MODEL_DEPLOYMENTS, { namespace: ns })).items as unknown as Mdep[];
    let mdeps: Mdep[] = [];
    await waitFor("every ModelDeployment Ready on v1", 90_000, async () => {
      mdeps = await list();
      return mdeps.length === plan.rollouts.length && mdeps.every((md) =>
        md.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true && md.status?.stable?.modelVersion === "v1" && md.status?.rollout?.phase === "Stable");
    });
    const initial = new Map(mdeps.map((md) => [md.metadata.name, md.status?.stable?.revision ?? ""]));
    assert.equal(receiver.calls.length, 0, "no hook is called for a first revision");

    // Reconciles of every operator process of the run: the killed ones' last scrape, the live one's now.
    let finished = 0;
    let base = (await live.counters()).reconciles;
    const reconciles = async (): Promise<number> => finished + (await live.counters()).reconciles - base;
    const restartOperator = async (): Promise<string> => {
      const last = await live.counters().then((c) => c.reconciles, () => undefined);
      finished += (last ?? base) - base;
      base = 0;
      const old = live.pid;
      await live.kill();
      live = operator = await startOperator();
      return `pid ${old} killed${last === undefined ? " (its last reconciles could not be read)" : ""}, pid ${live.pid} ready`;
    };

    const t0 = Date.now();
    log(`started: ${plan.rollouts.length} rollouts, ${plan.faults.length} faults; operator log ${logFile}`);
    const samples = new Map<string, StatusSample[]>();
    const sampling = new AbortController();
    const sampler = sample(list, samples, (items) => { mdeps = items; }, sampling.signal);
    const problems: string[] = [];
    const faults: FaultRecord[] = [];
    const stopFaults = new AbortController();
    const faulting = runFaults(plan.faults, { cluster, relay, restartOperator }, t0, stopFaults.signal, faults)
      .catch((error: unknown) => void problems.push(`a fault could not be injected: ${(error as Error).message}`));
    await Promise.all(plan.rollouts.map(async (p) => {
      await sleep(Math.max(0, t0 + p.startAtMs - Date.now()));
      const patch = { spec: { model: { uri: `s3://models/${p.name}/v2`, version: "v2" } } };
      await kubectlRetry(cluster, ["patch", "mdep", p.name, "-n", ns, "--type=merge", "-p", JSON.stringify(patch)]);
    }));
    try {
      await waitFor("every rollout ended and notified", options.outcomeTimeoutMs - (Date.now() - t0), () => mdeps.length === plan.rollouts.length && mdeps.every((md) => {
        const r = md.status?.rollout;
        const ended = r?.phase === "RolledBack" || (r?.phase === "Stable" && md.status?.stable?.modelVersion === "v2");
        return ended && r?.webhooks?.notify === undefined && receiver.callsOf(md.metadata.name, "PostRollout").length > 0
          && md.status?.conditions?.find((c) => c.type === "Reconciling")?.status !== "True";
      }));
    } catch (error) {
      problems.push((error as Error).message);
      stopFaults.abort();
    }
    await faulting;
    log(`every rollout ended at +${Date.now() - t0} ms; counting reconciles for ${options.quietMs / 1000} s more`);
    // A restarted operator (or its informers after a restart of the API server) reconciles
    // everything once: that is not the tail's business.
    await sleep(Math.max(0, t0 + (faults.at(-1)?.endMs ?? 0) + AFTER_FAULT_MS - Date.now()));
    const settled = await reconciles();
    await sleep(options.quietMs);
    const total = await reconciles();
    if (!live.alive) problems.push(`the operator (pid ${live.pid}) exited by itself; see ${logFile}`);
    sampling.abort();
    await sampler;
    const record: ChaosRecord = {
      plan, t0, intervalMs: ANALYSIS_INTERVAL_MS, faults, calls: [...receiver.calls], initial, final: await list(), samples,
      events: await events(cluster, ns), reconciles: { total, tail: total - settled, tailMs: options.quietMs },
    };
    problems.push(...checkAll(record, options.bounds));
    log(summary(record));
    if (problems.length > 0) log(`${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}\n${details(record)}\noperator log: ${logFile} (kept)`);
    if (keep) await writeFile(join(dir, "record.txt"), `${summary(record)}\n${details(record)}\n`);
    assert.deepEqual(problems, [], `chaos run with seed ${seed} (replay: MDO_CHAOS_SEED=${seed})`);
    passed = true;
  } finally {
    // Their pods hold the kwok node's CPU: later test files need it back (the operator removes its finalizers).
    await cluster.kubectl(["delete", "modeldeployments", "--all", "-n", ns, "--wait=true", "--timeout=90s"]);
    await waitFor(`the pods of ${ns} gone`, 90_000, async () => (await client.list(Resources.pods, { namespace: ns })).items.length === 0)
      .catch((error: unknown) => log(`cleanup: ${(error as Error).message}`));
    await operator?.stop();
    await prometheus?.stop();
    await relay?.close();
    await receiver.close();
    client.transport.close();
    if (passed && !keep) await rm(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

/** Lists every 500 ms until `signal` aborts, keeping each ModelDeployment's changes of phase, step or stable revision. */
async function sample(list: () => Promise<Mdep[]>, samples: Map<string, StatusSample[]>, latest: (items: Mdep[]) => void, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const items = await list();
      latest(items);
      for (const md of items) {
        const s: StatusSample = { at: Date.now(), phase: md.status?.rollout?.phase ?? "", step: md.status?.rollout?.step ?? 0, stableRevision: md.status?.stable?.revision ?? "" };
        const seen = samples.get(md.metadata.name) ?? [];
        const last = seen.at(-1);
        if (last === undefined || last.phase !== s.phase || last.step !== s.step || last.stableRevision !== s.stableRevision) seen.push(s);
        samples.set(md.metadata.name, seen);
      }
    } catch {
      // The API server is restarting: look again.
    }
    await sleep(500);
  }
}

/** kubectl until it succeeds (the API server may be restarting), for at most a minute. */
async function kubectlRetry(cluster: TestCluster, args: string[], input?: string): Promise<void> {
  let last = "";
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    const result = await cluster.kubectl(args, input === undefined ? undefined : { input });
    if (result.code === 0) return;
    last = result.stderr;
  }
  throw new Error(`kubectl ${args.join(" ")} kept failing: ${last}`);
}

async function events(cluster: TestCluster, ns: string): Promise<EventView[]> {
  const result = await cluster.kubectl(["get", "events", "-n", ns, "-o", "json"]);
  if (result.code !== 0) throw new Error(`kubectl get events: ${result.stderr}`);
  const items = (JSON.parse(result.stdout) as { items: { involvedObject?: { name?: string }; reason?: string; message?: string; note?: string }[] }).items;
  return items.map((e) => ({ name: e.involvedObject?.name ?? "", reason: e.reason ?? "", message: e.message ?? e.note ?? "" }));
}
