// The pod template of a revision: model-server behind the agent, model fetched or mounted.
import type { V1PodTemplateSpec, V1Toleration } from "@kubernetes/client-node";
import type { ModelDeployment } from "../../../api/index.ts";
import { childLabels } from "../labels.ts";
import { agentConfigHash, buildAgentConfig } from "./agent-config.ts";
import { agentContainer, agentVolumes } from "./agent-container.ts";
import { canonicalJson } from "./canonical-json.ts";
import type { BuildContext } from "./context.ts";
import { BuildError } from "./errors.ts";
import { revisionLabels } from "./metadata.ts";
import { modelServerContainer, scratchVolumes } from "./model-server.ts";
import { modelSource } from "./model-source.ts";
import { modelInitContainers, modelVolumes } from "./model-volume.ts";
import { ANNOTATION_AGENT_CONFIG_HASH, CONTAINER_MODEL_SERVER } from "./paths.ts";
import { GPU_RESOURCE } from "./resources.ts";
import { podSecurityContext } from "./security.ts";

/** Lets GPU pods onto nodes tainted the way the NVIDIA device plugin and cloud GPU pools do. */
export const GPU_TOLERATION: Readonly<V1Toleration> = { key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" };

/** spec.tolerations as written, then GPU_TOLERATION when GPUs are requested and it is not there yet. */
export function podTolerations(md: ModelDeployment): V1Toleration[] {
  return tolerationsFor(md.spec.tolerations, md.spec.resources?.gpu ?? 0);
}

/** `written` tolerations, then GPU_TOLERATION when `gpu` > 0 and it is not there yet. Pure. */
export function tolerationsFor(written: ModelDeployment["spec"]["tolerations"], gpu: number): V1Toleration[] {
  const tolerations: V1Toleration[] = (written ?? []).map((t) => ({
    ...(t.key !== undefined && { key: t.key }),
    operator: t.operator,
    ...(t.value !== undefined && { value: t.value }),
    ...(t.effect !== undefined && { effect: t.effect }),
    ...(t.tolerationSeconds !== undefined && { tolerationSeconds: t.tolerationSeconds }),
  }));
  const present = tolerations.some((t) => canonicalJson(t) === canonicalJson(GPU_TOLERATION));
  if (gpu > 0 && !present) tolerations.push({ ...GPU_TOLERATION });
  return tolerations;
}

/** Throws BuildError (PortConflict) when two containers of the pod would listen on one port. */
function checkPorts({ runtime, settings }: BuildContext): void {
  const ports: [string, number | undefined][] = [
    ["the agent's port (operator setting agentPort)", settings.agentPort],
    ["the agent's metrics port (operator setting agentMetricsPort)", settings.agentMetricsPort],
    [`runtime ${runtime.name}'s port`, runtime.port],
    [`runtime ${runtime.name}'s grpcPort`, runtime.grpcPort],
  ];
  const seen = new Map<number, string>();
  for (const [what, port] of ports) {
    if (port === undefined) continue;
    const other = seen.get(port);
    if (other !== undefined) {
      throw new BuildError("PortConflict", `${what} and ${other} are both ${port}; pod containers share one network, so change one of them`);
    }
    seen.set(port, what);
  }
}

/**
 * The pod template of ctx.revision. Restricted Pod Security for every container, no service
 * account token, no service links. Labels: childLabels, revision and model version (never the
 * user's labels: a label change must not roll pods outside a rollout). Throws BuildError.
 */
export function buildPodTemplate(ctx: BuildContext): V1PodTemplateSpec {
  const { md, runtime, settings, revision } = ctx;
  checkPorts(ctx);
  const source = modelSource(md);
  const initContainers = modelInitContainers(ctx, source);
  const nodeSelector = md.spec.nodeSelector ?? {};
  const tolerations = podTolerations(md);
  return {
    metadata: {
      labels: { ...childLabels(md.metadata.name ?? ""), ...revisionLabels(md, revision) },
      annotations: {
        [ANNOTATION_AGENT_CONFIG_HASH]: agentConfigHash(buildAgentConfig(ctx)),
        "kubectl.kubernetes.io/default-container": CONTAINER_MODEL_SERVER,
        "prometheus.io/scrape": "true",
        "prometheus.io/port": String(settings.agentMetricsPort),
        "prometheus.io/path": "/metrics",
      },
    },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(runtime.runAsUser),
      ...(initContainers.length > 0 && { initContainers }),
      containers: [modelServerContainer(ctx, source), agentContainer(ctx)],
      volumes: [...modelVolumes(ctx, source), ...agentVolumes(ctx), ...scratchVolumes(runtime)],
      ...(Object.keys(nodeSelector).length > 0 && { nodeSelector: { ...nodeSelector } }),
      ...(tolerations.length > 0 && { tolerations }),
    },
  };
}
