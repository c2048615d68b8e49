// Operator configuration: flags override environment variables override defaults; validated with zod.
import { z } from "zod";
import { envName, rawSettings } from "../runtime/config-sources.ts";
import { DEFAULT_SETTINGS } from "../controllers/modeldeployment/settings.ts";

const Bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")]);
const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const OperatorConfig = z.strictObject({
  kubeconfig: z.string().optional().describe("Path of a kubeconfig; default: in-cluster, then KUBECONFIG, then ~/.kube/config."),
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).optional().describe("Watch only this namespace (default: all)."),
  leaderElect: Bool.default(false).describe("Take part in leader election on a Lease; only the leader reconciles."),
  leaseNamespace: z.string().default("mdo-system").describe("Namespace of the leader Lease."),
  leaseName: z.string().default("mdo-operator").describe("Name of the leader Lease."),
  identity: z.string().min(1).optional().describe("Leader election identity (default: POD_NAME or host name + pid)."),
  healthAddress: z.string().regex(/^[^:]+:\d+$/).default("127.0.0.1:8081").describe("host:port of /healthz, /readyz and /metrics."),
  workers: Int(1, 64).default(4).describe("Reconciles running at once."),
  qps: z.coerce.number().positive().max(10_000).default(20).describe("Client-side rate limit of API requests per second."),
  burst: Int(1, 10_000).default(30).describe("Client-side burst of API requests."),
  logLevel: z.enum(["error", "warn", "info", "debug"]).default("info").describe("Least severe log level written (JSON lines on stderr)."),
  runtimeCatalog: z.string().optional().describe("JSON or YAML file of runtime catalog overrides."),
  agentImage: z.string().min(1).default(DEFAULT_SETTINGS.agentImage).describe("Image of the MDO agent sidecar."),
  fetcherImage: z.string().min(1).default(DEFAULT_SETTINGS.fetcherImage).describe("Image of the model fetcher init container."),
  modelLoadTimeout: Int(5, 86_400).default(600).describe("Seconds a model container may run without becoming ready before status says ModelNotLoaded (a failing readiness probe)."),
  driftCheckInterval: Int(1, 3600).default(30).describe("Seconds between two reads of a monitored stable revision's drift from its agents."),
  activatorService: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "namespace/name of a Service")
    .optional()
    .describe("namespace/name of the MDO activator's Service: ModelDeployments with autoscaling.minReplicas 0 scale to zero only while it has ready endpoints (the chart sets it)."),
  prometheusUrl: z.url({ protocol: /^https?$/ }).optional().describe("Base URL of the Prometheus that `prometheus` analysis checks query, e.g. http://prometheus.monitoring:9090."),
});
export type OperatorConfig = z.output<typeof OperatorConfig>;

/** Environment variable for each option: MDO_ + upper snake case (MDO_LEADER_ELECT…). */
export { envName };

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Merges environment and flags (flags win) and validates; throws ConfigError naming the option. */
export function loadConfig(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): OperatorConfig {
  const parsed = OperatorConfig.safeParse(rawSettings(Object.keys(OperatorConfig.shape), flags, env));
  if (!parsed.success) throw new ConfigError(`Invalid operator configuration: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}
