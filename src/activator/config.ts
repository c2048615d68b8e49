// `mdo activator` configuration: flags override environment variables (MDO_ + upper snake case of
// the option) override defaults; validated with zod.
import { z } from "zod";
import { envName, rawSettings } from "../runtime/config-sources.ts";
import { ACTIVATOR_DEFAULTS } from "./activator.ts";
import { DEFAULT_BACKEND_PORT } from "./pods.ts";
import { DEFAULT_CLUSTER_DOMAIN } from "./target.ts";

const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const HostPort = z.string().regex(/^[^:]+:\d{1,5}$/, "host:port");
const DnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS label");

export const ActivatorConfig = z.strictObject({
  listen: HostPort.default("0.0.0.0:8080").describe("host:port of the data path (port 0 picks a free one)."),
  healthAddress: HostPort.default("0.0.0.0:9090").describe("host:port of /healthz, /readyz (pods and ModelDeployments listed) and /metrics."),
  operatorUrl: z.url({ protocol: /^https?$/ }).describe("Base URL of the operator's health port, where POST /v1/activations/<namespace>/<name> asks for a pod (required)."),
  namespace: DnsLabel.optional().describe("Watch only this namespace's pods, and take it for a bare <name> Host (default: all namespaces; a bare name is in \"default\")."),
  kubeconfig: z.string().optional().describe("Path of a kubeconfig; default: in-cluster, then KUBECONFIG, then ~/.kube/config."),
  backendPort: Int(1, 65_535).default(DEFAULT_BACKEND_PORT).describe("Port forwarded to on a ready model pod (the MDO agent's)."),
  maxQueuedPerTarget: Int(1, 1_000_000).default(ACTIVATOR_DEFAULTS.maxQueuedPerTarget).describe("Requests held per ModelDeployment at most; more are answered 503."),
  coldStartTimeout: Int(1, 86_400).default(ACTIVATOR_DEFAULTS.coldStartTimeoutMs / 1000).describe("Seconds a request is held at most; then 503 with Retry-After."),
  maxBodyBytes: Int(1, 2 ** 31 - 1).default(ACTIVATOR_DEFAULTS.maxBodyBytes).describe("Largest body buffered for a held request; larger ones are answered 413."),
  clusterDomain: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).default(DEFAULT_CLUSTER_DOMAIN).describe("The cluster's DNS domain, accepted in Host headers."),
  logLevel: z.enum(["error", "warn", "info", "debug"]).default("info").describe("Least severe log level written (JSON lines on stderr)."),
});
export type ActivatorConfig = z.output<typeof ActivatorConfig>;

/** Environment variable of each option: MDO_ + upper snake case (MDO_OPERATOR_URL…), as the operator's. */
export { envName as activatorEnvName };

export class ActivatorConfigError extends Error {
  override readonly name = "ActivatorConfigError";
}

/** Merges environment and flags (flags win) and validates; throws ActivatorConfigError naming the option. */
export function loadActivatorConfig(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv): ActivatorConfig {
  const parsed = ActivatorConfig.safeParse(rawSettings(Object.keys(ActivatorConfig.shape), flags, env));
  if (!parsed.success) throw new ActivatorConfigError(`Invalid activator configuration: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return parsed.data;
}

/** `host:port` (validated by the schema) as its parts. */
export function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(":");
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}
