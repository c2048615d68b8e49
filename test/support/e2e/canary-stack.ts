// Everything one end-to-end rollout scenario runs beside the cluster: a namespace of its own, a
// real Prometheus scraping the agents of both revisions, the real operator (in this process,
// scoped to the namespace, told Prometheus's URL and where each revision's agent listens), and
// the agents themselves once their revisions are known. Data-plane traffic stays on 127.0.0.1.
//
// `stop()` ends everything started here, in reverse order, whatever failed before; tests call it
// from an `after` hook.
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { MODEL_DEPLOYMENTS } from "../../../src/controllers/modeldeployment/resource.ts";
import { createNamespace, sharedCluster, type TestCluster } from "../cluster.ts";
import { startTestOperator, type TestOperator } from "../operator.ts";
import { startPrometheus, type RunningPrometheus } from "../prometheus.ts";
import type { RolloutMdepView } from "../rollout.ts";
import { reservedPorts } from "./ports.ts";
import { startRevisionAgent, type RevisionAgent } from "./revision-agent.ts";

export type Role = "stable" | "canary";

/**
 * What the operator is told for a revision whose agent has not started yet: a port nothing
 * listens on (the discard port), so reading it fails like an unreachable pod would
 * (MetricsUnavailable), rather than reading some other revision's agent.
 */
export const NO_AGENT_YET = "http://127.0.0.1:9";

export interface CanaryStack {
  readonly cluster: TestCluster;
  readonly ns: string;
  readonly prometheus: RunningPrometheus;
  readonly operator: TestOperator;
  /** Agents started so far, by revision; the operator's agentAddress reads this map on every call. */
  readonly agents: ReadonlyMap<string, RevisionAgent>;
  /** Starts the agent of `revision` in the ports reserved for `role`, in front of `upstreamPort`. */
  startAgent(role: Role, revision: string, upstreamPort: number): Promise<RevisionAgent>;
  /** The ModelDeployment `name` as the API has it now (no kubectl process: cheap enough to poll). */
  getMdep(name: string): Promise<RolloutMdepView>;
  /** status.traffic of `name` as revision → desiredWeight. */
  trafficWeights(name: string): Promise<Map<string, number>>;
  /** Registers teardown work, run before everything the stack started itself. */
  defer(stop: () => Promise<void>): void;
  /** Stops, in reverse order, everything started or deferred. Idempotent; never throws. */
  stop(): Promise<void>;
}

/**
 * Creates namespace `<prefix>-<random>`, starts Prometheus with one target per role (the ports
 * are reserved now, below the ephemeral range; a target is down until its agent starts, as a pod
 * that does not exist yet has no target) labelled `namespace` and `pod` as docs/analysis.md
 * requires, then the operator.
 */
export async function startCanaryStack(prefix: string, modelName: string): Promise<CanaryStack> {
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, prefix);
  const teardown: (() => Promise<void>)[] = [];
  const agents = new Map<string, RevisionAgent>();
  const stop = async (): Promise<void> => {
    while (teardown.length > 0) {
      try {
        await teardown.pop()!();
      } catch (error) {
        console.error(`[e2e] teardown step failed: ${String(error)}`);
      }
    }
  };
  try {
    const [stablePort, stableMetrics, canaryPort, canaryMetrics] = await reservedPorts(4);
    const ports: Record<Role, { port: number; metricsPort: number }> = {
      stable: { port: stablePort!, metricsPort: stableMetrics! },
      canary: { port: canaryPort!, metricsPort: canaryMetrics! },
    };
    const pod = (role: Role): string => `${modelName}-${role}-agent`;
    const prometheus = await startPrometheus({
      targets: (["stable", "canary"] as const).map((role) => ({ address: `127.0.0.1:${ports[role].metricsPort}`, labels: { namespace: ns, pod: pod(role) } })),
    });
    teardown.push(() => prometheus.stop());
    const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
    teardown.push(() => Promise.resolve(client.transport.close()));
    const operator = await startTestOperator(cluster, ns, { prometheusUrl: prometheus.url }, {
      agentAddress: (_endpoint, revision) => agents.get(revision)?.metricsUrl ?? NO_AGENT_YET,
    });
    teardown.push(async () => { await operator.stop(); });
    const getMdep = async (name: string): Promise<RolloutMdepView> => {
      const md = await client.get<RolloutMdepView & { metadata: { name: string } }>(MODEL_DEPLOYMENTS, ns, name);
      if (md === null) throw new Error(`ModelDeployment ${ns}/${name} not found`);
      return md;
    };
    return {
      cluster, ns, prometheus, operator, agents, getMdep,
      startAgent: async (role, revision, upstreamPort) => {
        const agent = await startRevisionAgent(cluster, { namespace: ns, name: modelName, revision, upstreamPort, pod: pod(role), ...ports[role] });
        teardown.push(() => agent.stop());
        agents.set(revision, agent);
        return agent;
      },
      trafficWeights: async (name) => new Map(((await getMdep(name)).status?.traffic ?? []).map((t) => [t.revision, t.desiredWeight])),
      defer: (fn) => { teardown.push(fn); },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
