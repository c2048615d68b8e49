// A real `mdo agent` standing in for the agent container of one revision's pods: it runs with
// the config.json the operator wrote for that revision (ConfigMap `<name>-<revision>-agent`),
// changed only where a process on 127.0.0.1 must differ from a pod — the listen address and
// ports, the model server's port, and the baseline's path (the baseline ConfigMap's content,
// read from the cluster, written to a local file instead of mounted).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAgentConfig } from "../../../src/agent/config.ts";
import { AGENT_CONFIG_KEY } from "../../../src/controllers/modeldeployment/builders/paths.ts";
import { childNames } from "../../../src/controllers/modeldeployment/labels.ts";
import { startAgentProcess, type AgentProcess } from "../../integration/analysis/support/agents.ts";
import { kubectlOk, waitFor, type TestCluster } from "../cluster.ts";

export interface RevisionAgentOptions {
  readonly namespace: string;
  /** The ModelDeployment's name. */
  readonly name: string;
  readonly revision: string;
  /** The model server's HTTP port on 127.0.0.1. */
  readonly upstreamPort: number;
  /** Serving and metrics ports on 127.0.0.1 (reserved beforehand, so Prometheus can be told). */
  readonly port: number;
  readonly metricsPort: number;
  /** A label for logs and Prometheus targets. */
  readonly pod: string;
}

export interface RevisionAgent extends AgentProcess {
  readonly revision: string;
  /** The v2 inference URL of the model through this agent. */
  readonly inferUrl: string;
}

async function configMapData(cluster: TestCluster, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  const result = await cluster.kubectl(["get", "configmap", name, "-n", namespace, "-o", "json"]);
  if (result.code !== 0) return undefined;
  return (JSON.parse(result.stdout) as { data?: Record<string, string> }).data;
}

/** Waits for the revision's agent ConfigMap (up to 30 s), then starts the agent; resolves once it is ready. */
export async function startRevisionAgent(cluster: TestCluster, options: RevisionAgentOptions): Promise<RevisionAgent> {
  const { namespace, name, revision } = options;
  const configMap = childNames.agentConfigMap(name, revision);
  let data: Record<string, string> | undefined;
  await waitFor(`ConfigMap ${namespace}/${configMap}`, 30_000, async () => (data = await configMapData(cluster, namespace, configMap)) !== undefined);
  const config = parseAgentConfig(data?.[AGENT_CONFIG_KEY] ?? "");
  if (config.revision !== revision) throw new Error(`ConfigMap ${configMap} is for revision ${config.revision}, not ${revision}`);
  const dir = await mkdtemp(join(tmpdir(), "mdo-e2e-agent-"));
  let drift = config.drift;
  if (drift !== undefined) {
    const baselineName = await baselineConfigMapName(cluster, namespace, name);
    const baseline = (await configMapData(cluster, namespace, baselineName.configMap))?.[baselineName.key];
    if (baseline === undefined) throw new Error(`The baseline ConfigMap ${baselineName.configMap} has no key ${baselineName.key}`);
    await writeFile(join(dir, "baseline.json"), baseline);
    drift = { ...drift, baselineFile: join(dir, "baseline.json") };
  }
  try {
    const agent = await startAgentProcess(options.pod, options.upstreamPort, {
      ...config,
      listen: { host: "127.0.0.1", port: options.port, metricsPort: options.metricsPort },
      upstream: { ...config.upstream, host: "127.0.0.1", port: options.upstreamPort },
      ...(drift === undefined ? {} : { drift }),
    });
    return {
      ...agent, revision,
      inferUrl: `${agent.url}/v2/models/${encodeURIComponent(config.model.name)}/infer`,
      stop: async () => {
        await agent.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** spec.monitoring.drift.baselineRef of the ModelDeployment (key defaulted by the API). */
async function baselineConfigMapName(cluster: TestCluster, namespace: string, name: string): Promise<{ configMap: string; key: string }> {
  const md = JSON.parse(await kubectlOk(cluster, ["get", "mdep", name, "-n", namespace, "-o", "json"])) as {
    spec: { monitoring?: { drift?: { baselineRef?: { configMapName: string; key?: string } } } };
  };
  const ref = md.spec.monitoring?.drift?.baselineRef;
  if (ref === undefined) throw new Error(`ModelDeployment ${namespace}/${name} has no spec.monitoring.drift.baselineRef`);
  return { configMap: ref.configMapName, key: ref.key ?? "baseline.json" };
}
