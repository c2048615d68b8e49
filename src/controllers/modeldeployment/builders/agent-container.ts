// The agent sidecar: the pod's only public port, in front of the model server.
import type { V1Container, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
import { childNames } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import {
  AGENT_CONFIG_DIR, AGENT_CONFIG_KEY, AGENT_CONFIG_PATH, API_KEY_DIR, API_KEY_FILE, BASELINE_DIR,
  BASELINE_FILE, CONTAINER_AGENT, PORT_HTTP, PORT_METRICS, SHADOW_DIR, SHADOW_KEY, TERMINATION_DRAIN_SECONDS, VOLUME_AGENT_CONFIG, VOLUME_API_KEY,
  VOLUME_DRIFT_BASELINE, VOLUME_SHADOW,
} from "./paths.ts";
import { agentResources } from "./resources.ts";
import { containerSecurityContext } from "./security.ts";

/**
 * Volumes the agent reads: its config (the agent ConfigMap), the API key (one key of the
 * referenced Secret, as a file: never an env var, never inline) when auth is set, and the drift
 * baseline when drift is monitored. The baseline is optional: a missing ConfigMap must not keep
 * the model from serving; the agent reports drift as unavailable instead. The API-key Secret is
 * required: without it the agent could not authenticate, so the pod does not start. Every
 * revision mounts the optional shadow settings (ADR 0009): a revision that is stable when a later
 * rollout shadows must already read them, since mounting them then would replace its pods.
 */
export function agentVolumes(ctx: BuildContext): V1Volume[] {
  const { md } = ctx;
  const auth = md.spec.serving?.auth?.apiKeySecretRef;
  const baseline = md.spec.monitoring?.drift?.baselineRef;
  return [
    {
      name: VOLUME_AGENT_CONFIG,
      configMap: { name: childNames.agentConfigMap(md.metadata.name ?? "", ctx.revision), items: [{ key: AGENT_CONFIG_KEY, path: AGENT_CONFIG_KEY }] },
    },
    ...(auth === undefined ? [] : [{
      name: VOLUME_API_KEY,
      secret: { secretName: auth.name, items: [{ key: auth.key, path: API_KEY_FILE }] },
    }]),
    ...(baseline === undefined ? [] : [{
      name: VOLUME_DRIFT_BASELINE,
      configMap: { name: baseline.configMapName, items: [{ key: baseline.key, path: BASELINE_FILE }], optional: true },
    }]),
    {
      name: VOLUME_SHADOW,
      configMap: { name: childNames.shadowConfigMap(md.metadata.name ?? ""), items: [{ key: SHADOW_KEY, path: SHADOW_KEY }], optional: true },
    },
  ];
}

function mounts(ctx: BuildContext): V1VolumeMount[] {
  const { md } = ctx;
  return [
    { name: VOLUME_AGENT_CONFIG, mountPath: AGENT_CONFIG_DIR, readOnly: true },
    ...(md.spec.serving?.auth === undefined ? [] : [{ name: VOLUME_API_KEY, mountPath: API_KEY_DIR, readOnly: true }]),
    ...(md.spec.monitoring?.drift === undefined ? [] : [{ name: VOLUME_DRIFT_BASELINE, mountPath: BASELINE_DIR, readOnly: true }]),
    { name: VOLUME_SHADOW, mountPath: SHADOW_DIR, readOnly: true },
  ];
}

/**
 * The agent. Readiness (/readyz) is true only while the model server's readiness path answers,
 * so a pod is Ready only once the model is loaded; liveness (/healthz) covers the agent alone,
 * so a slow model load never restarts it. Files are mounted whole (no subPath), so a rotated
 * API key reaches the running agent. On termination it keeps serving TERMINATION_DRAIN_SECONDS
 * (preStop sleep) before it drains.
 */
export function agentContainer(ctx: BuildContext): V1Container {
  const { settings } = ctx;
  return {
    name: CONTAINER_AGENT,
    image: settings.agentImage,
    args: ["agent", `--config=${AGENT_CONFIG_PATH}`],
    ports: [
      { name: PORT_HTTP, containerPort: settings.agentPort, protocol: "TCP" },
      { name: PORT_METRICS, containerPort: settings.agentMetricsPort, protocol: "TCP" },
    ],
    // Probed every second, so a pod is Ready about a second after its model loaded (a cold start
    // waits for it); unready only after 15 failures in a row, as 3 × 5 s did before.
    readinessProbe: { httpGet: { path: "/readyz", port: PORT_HTTP }, periodSeconds: 1, failureThreshold: 15 },
    livenessProbe: { httpGet: { path: "/healthz", port: PORT_HTTP }, periodSeconds: 10 },
    resources: agentResources(),
    volumeMounts: mounts(ctx),
    securityContext: containerSecurityContext(true),
    lifecycle: { preStop: { sleep: { seconds: TERMINATION_DRAIN_SECONDS } } },
  };
}
