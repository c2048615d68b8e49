// The operator as the autoscaler (metric concurrency), against real agents: each kwok pod of the
// revision is stood in for by a real `mdo agent` on 127.0.0.1 (the operator is told where, as in
// the e2e canary test), all in front of one real MLServer whose inference takes 100 ms, and a
// load generator spreads requests over the agents of the ready pods as the Service would.
// A step from 2 to 40 requests in flight with target 4 → 10 replicas within the panic window
// plus pod start; back to 2 → down to minReplicas as the stable window stops seeing the step, each
// lower count held for the scale-down delay. No request fails. status.autoscaling and a Scaled Event say what happened.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { Resources } from "../../../src/runtime/client/resource.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { condition, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { irisInferenceBody, startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import { reservedPorts } from "../../support/e2e/ports.ts";
import { startRevisionAgent, type RevisionAgent } from "../../support/e2e/revision-agent.ts";
import { eventMessages } from "../../support/rollout.ts";

const NAME = "iris";
const POOL = 12;
const TARGET = 4;
const LATENCY_MS = 100;
/** Short windows keep the test short; the defaults (60 s, 6 s) only stretch the same curve. */
const AUTOSCALING = { minReplicas: 1, maxReplicas: POOL, metric: "concurrency", target: TARGET, window: "10s", panicWindow: "2s", scaleDownDelay: "4s" };

interface AutoscalingView { metric?: string; target?: number; desiredReplicas?: number; observedLoad?: number; panic?: boolean; lastScaleTime?: string; message?: string }
type View = MdepView & { status?: MdepView["status"] & { autoscaling?: AutoscalingView; stable?: { revision: string } } };

let cluster: TestCluster;
let ns: string;
let operator: TestOperator | undefined;
let mlserver: RunningMlserver | undefined;
let client: KubeClient;
/** Agents of the pool, started once the revision is known; a pod gets the first free one. */
const agents: RevisionAgent[] = [];
const slots = new Map<string, RevisionAgent>();

function agentFor(pod: string): RevisionAgent | undefined {
  const held = slots.get(pod);
  if (held !== undefined) return held;
  const free = agents.find((a) => ![...slots.values()].includes(a));
  if (free !== undefined) slots.set(pod, free);
  return free;
}

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "autoscale");
  mlserver = await startMlserver({ modelName: NAME, latencyMs: LATENCY_MS, log: (m) => console.log(`[mlserver] ${m}`) });
  const access = await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath });
  client = new KubeClient(new KubeTransport(access));
  operator = await startTestOperator(cluster, ns, {}, {
    // A pod's agent is the pool agent it was given; until the pool runs, nothing listens there.
    agentAddress: (endpoint) => agentFor(endpoint.pod)?.metricsUrl ?? "http://127.0.0.1:9",
  });
});

after(async () => {
  await operator?.stop();
  await Promise.all(agents.map((a) => a.stop()));
  await mlserver?.stop();
  client?.transport.close();
});

/** Names of the ready, not terminating pods of the ModelDeployment. */
async function readyPods(): Promise<string[]> {
  const page = await client.list<{ metadata?: { name?: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string }[] } }>(
    Resources.pods, { namespace: ns, labelSelector: `mdo.dev/model-deployment=${NAME}` });
  return page.items
    .filter((p) => p.metadata?.deletionTimestamp === undefined && (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"))
    .map((p) => p.metadata?.name ?? "");
}

async function deploymentReplicas(revision: string): Promise<number> {
  return Number(await kubectlOk(cluster, ["get", "deployment", `${NAME}-${revision}`, "-n", ns, "-o", "jsonpath={.spec.replicas}"]));
}

/** Closed-loop clients, each with one request in flight at a time, spread over the ready pods' agents. */
class Load {
  workers = 0;
  ok = 0;
  failed: string[] = [];
  private ready: RevisionAgent[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly poller: Promise<void>;

  constructor() {
    this.poller = (async () => {
      while (this.running) {
        const pods = await readyPods();
        for (const pod of [...slots.keys()]) if (!pods.includes(pod)) slots.delete(pod);
        this.ready = pods.flatMap((p) => { const a = agentFor(p); return a === undefined ? [] : [a]; });
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
  }

  setWorkers(n: number): void {
    while (this.workers < n) {
      const id = this.workers++;
      this.loops.push(this.loop(id));
    }
    this.workers = n;
  }

  private async loop(id: number): Promise<void> {
    const body = JSON.stringify(irisInferenceBody([[5.1, 3.5, 1.4, 0.2]]));
    while (this.running && id < this.workers) {
      const agent = this.ready[Math.floor(Math.random() * this.ready.length)];
      if (agent === undefined) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      try {
        const res = await fetch(agent.inferUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
        await res.arrayBuffer();
        if (res.status === 200) this.ok++;
        else this.failed.push(`${res.status} from ${agent.pod}`);
      } catch (error) {
        this.failed.push(`${String(error)} from ${agent.pod}`);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.loops, this.poller]);
  }
}

test("concurrency autoscaling follows a load step up at once and back down after its windows, with no request lost", async () => {
  const manifest = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: ns },
    spec: {
      model: { uri: `s3://models/${NAME}/v1`, format: "sklearn", version: "v1" },
      resources: { requests: { cpu: "50m", memory: "64Mi" } },
      autoscaling: AUTOSCALING,
    },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(manifest));
  const ready = await waitForMdep(cluster, ns, NAME, "Ready", (md) => condition(md, "Ready")?.status === "True") as View;
  const revision = ready.status?.stable?.revision ?? "";
  const ports = await reservedPorts(2 * POOL);
  for (let i = 0; i < POOL; i++) {
    agents.push(await startRevisionAgent(cluster, {
      namespace: ns, name: NAME, revision, upstreamPort: mlserver?.port ?? 0, port: ports[2 * i] ?? 0, metricsPort: ports[2 * i + 1] ?? 0, pod: `agent-${i}`,
    }));
  }
  assert.equal(await deploymentReplicas(revision), 1, "minReplicas before any load");
  assert.equal(await kubectlOk(cluster, ["get", "hpa", "-n", ns, "-o", "name"]), "", "no HPA: the operator scales on concurrency");

  const load = new Load();
  try {
    load.setWorkers(2);
    await waitFor("the autoscaler's first decision at 2 in flight", 30_000, async () =>
      ((await waitForMdep(cluster, ns, NAME, "autoscaling status", () => true)) as View).status?.autoscaling?.observedLoad !== undefined);
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(await deploymentReplicas(revision), 1, "2 in flight at target 4: one replica");

    const stepUp = Date.now();
    load.setWorkers(40);
    let panicSeen = false;
    let seen = "";
    // 40 clients keep about 36-40 requests in flight at the agents (each client spends some time
    // between answers): ceil(load / 4) is 9 or 10.
    await waitFor("9-10 replicas after the step to 40 in flight", 30_000, async () => {
      const md = (await waitForMdep(cluster, ns, NAME, "status", () => true)) as View;
      panicSeen ||= md.status?.autoscaling?.panic === true;
      const replicas = await deploymentReplicas(revision);
      seen = `replicas ${replicas}, ready pods ${(await readyPods()).length}, ${load.ok} ok, status.autoscaling ${JSON.stringify(md.status?.autoscaling)}`;
      return replicas >= 9;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; last seen: ${seen}`, { cause: error });
    });
    const upSeconds = (Date.now() - stepUp) / 1000;
    console.log(`# step 2 → 40 in flight: ${await deploymentReplicas(revision)} replicas asked for after ${upSeconds.toFixed(1)} s (panic window 2 s, tick 2 s)`);
    assert.ok(panicSeen, "status.autoscaling.panic was true during the step");
    await waitFor("9 ready pods", 30_000, async () => (await readyPods()).length >= 9);
    const serving = (await waitForMdep(cluster, ns, NAME, "status", () => true)) as View;
    assert.equal(serving.status?.autoscaling?.metric, "concurrency");
    assert.equal(serving.status?.autoscaling?.target, TARGET);
    assert.ok((serving.status?.autoscaling?.desiredReplicas ?? 0) >= 9);
    assert.ok(serving.status?.autoscaling?.lastScaleTime !== undefined);
    const atTen = await deploymentReplicas(revision);
    assert.ok(atTen <= 11, `no overshoot beyond ceil(40 / 4) + 1: ${atTen}`);

    const stepDown = Date.now();
    load.setWorkers(2);
    const sizes: [number, number][] = [];
    await waitFor("back to 1 replica", 90_000, async () => {
      const n = await deploymentReplicas(revision);
      if (sizes.at(-1)?.[1] !== n) sizes.push([(Date.now() - stepDown) / 1000, n]);
      return n === 1;
    });
    console.log(`# step 40 → 2 in flight: replicas over time (s after the step, count): ${sizes.map(([s, n]) => `${s.toFixed(1)}:${n}`).join(" ")}`);
    // The panic ended while the pods came up (10 ready pods are under twice the load's need), so the
    // stable window decides: its average falls as the step leaves it, and each lower count must be
    // recommended for the 4 s scale-down delay first.
    const firstDown = sizes.find(([, n]) => n < atTen)?.[0] ?? 0;
    assert.ok(firstDown >= 4, `no scale-down before the 4 s scale-down delay: first at ${firstDown.toFixed(1)} s`);
    const atOne = sizes.at(-1)?.[0] ?? 0;
    assert.ok(atOne >= 10, `not back to 1 before the 10 s window stopped seeing the step: at ${atOne.toFixed(1)} s`);
  } finally {
    await load.stop();
  }
  assert.deepEqual(load.failed.slice(0, 5), [], `every request answered 200 (${load.ok} ok, ${load.failed.length} failed)`);
  assert.ok(load.ok > 1000, `the load ran: ${load.ok} requests`);
  const scaled = await eventMessages(cluster, ns, NAME, "Scaled");
  assert.ok(scaled.some((m) => /from 1 to \d+ replicas: panic/.test(m)), `a Scaled Event for the panic scale-up: ${scaled.join(" | ")}`);
});
