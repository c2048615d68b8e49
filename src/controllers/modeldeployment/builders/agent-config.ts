// The agent's configuration for one ModelDeployment and revision.
import { parseDuration, parseQuantity, type ModelDeployment, type PayloadLoggingSpec } from "../../../api/index.ts";
import { validateAgentConfig, type AgentConfig } from "../../../agent/config.ts";
import type { ServingRuntime } from "../../../catalog/runtime.ts";
import type { OperatorSettings } from "../settings.ts";
import { canonicalJson, shortHash } from "./canonical-json.ts";
import type { BuildContext } from "./context.ts";
import { BuildError } from "./errors.ts";
import { modelSource } from "./model-source.ts";
import { resolveModelVersion } from "./model-version.ts";
import { API_KEY_DIR, API_KEY_FILE, BASELINE_DIR, BASELINE_FILE, SHADOW_DIR, SHADOW_KEY, UPSTREAM_HOST } from "./paths.ts";
import { fillPlaceholders } from "./placeholders.ts";

/** Defaults the API documents for absent spec.serving fields. */
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_PAYLOAD_BATCH_SIZE = 100;
export const DEFAULT_PAYLOAD_FLUSH_INTERVAL_MS = 1000;

/** Everything in the agent config except the revision, which is computed from it. */
export type AgentConfigBody = Omit<AgentConfig, "revision">;

/**
 * The agent config without the revision: a pure function of what the agent reads, so it can
 * feed computeRevision. Throws BuildError (DriftUnsupported, InvalidRuntime).
 */
export function agentConfigBody(md: ModelDeployment, runtime: ServingRuntime, settings: OperatorSettings): AgentConfigBody {
  const name = md.metadata.name ?? "";
  const { serving, monitoring, protocol } = md.spec;
  const drift = monitoring?.drift;
  const truth = monitoring?.groundTruth;
  if (drift !== undefined && protocol === "raw") {
    throw new BuildError(
      "DriftUnsupported",
      "spec.monitoring.drift needs requests with features, but spec.protocol raw passes opaque bodies; " +
        "use protocol v2, v1 or openai, or remove spec.monitoring.drift",
    );
  }
  const values = {
    modelDir: modelSource(md).modelDir,
    modelName: name,
    port: String(runtime.port),
    grpcPort: runtime.grpcPort === undefined ? undefined : String(runtime.grpcPort),
  };
  const maxRequestBytes = serving?.maxRequestBytes === undefined
    ? DEFAULT_MAX_REQUEST_BYTES
    : Math.max(1, Math.floor(parseQuantity(serving.maxRequestBytes) ?? DEFAULT_MAX_REQUEST_BYTES));
  const timeoutMs = serving?.timeout === undefined ? DEFAULT_TIMEOUT_MS : wholeMs(serving.timeout, DEFAULT_TIMEOUT_MS);
  return {
    model: { name, version: resolveModelVersion(md) },
    protocol,
    listen: { port: settings.agentPort, metricsPort: settings.agentMetricsPort },
    upstream: {
      host: UPSTREAM_HOST,
      port: runtime.port,
      readinessPath: fillPlaceholders(runtime.readinessPath, values, runtime.name, "readinessPath"),
      livenessPath: fillPlaceholders(runtime.livenessPath, values, runtime.name, "livenessPath"),
    },
    limits: {
      maxRequestBytes,
      timeoutMs,
      ...(serving?.maxConcurrency !== undefined && { maxConcurrency: serving.maxConcurrency }),
    },
    ...(serving?.cache !== undefined && {
      cache: { maxEntries: serving.cache.maxEntries, ttlMs: wholeMs(serving.cache.ttl, 0) },
    }),
    ...(serving?.auth !== undefined && { auth: { apiKeyFile: `${API_KEY_DIR}/${API_KEY_FILE}` } }),
    ...(drift !== undefined && { drift: { baselineFile: `${BASELINE_DIR}/${BASELINE_FILE}`, window: drift.window } }),
    ...(truth !== undefined && {
      feedback: {
        kind: truth.kind === "Classification" ? "classification" : "regression",
        maxPredictions: truth.maxPredictions,
        ttlMs: wholeMs(truth.ttl, 3_600_000),
      },
    }),
    ...payloadLogging(serving?.payloadLogging),
    shadowFile: `${SHADOW_DIR}/${SHADOW_KEY}`,
  };
}

/** spec.serving.payloadLogging as the agent's fields; absent, payload logging off. */
function payloadLogging(spec: PayloadLoggingSpec | undefined): Pick<AgentConfigBody, "logPayloads" | "payloadSink" | "payloadSampleRate"> {
  if (spec === undefined) return { logPayloads: false };
  // Rounded: the agent counts whole milliseconds, and "10.4ms" is a valid duration.
  const flushIntervalMs = spec.flushInterval === undefined
    ? DEFAULT_PAYLOAD_FLUSH_INTERVAL_MS
    : Math.round(parseDuration(spec.flushInterval) ?? DEFAULT_PAYLOAD_FLUSH_INTERVAL_MS);
  return {
    logPayloads: true,
    payloadSink: { url: spec.url, batchSize: spec.batchSize ?? DEFAULT_PAYLOAD_BATCH_SIZE, flushIntervalMs },
    payloadSampleRate: spec.sampleRate,
  };
}

/**
 * A duration in the whole milliseconds the agent counts in ("100.5ms" is valid API but the agent
 * takes integers: rounded, never below 1 ms, instead of failing the build).
 */
function wholeMs(duration: string, fallback: number): number {
  return Math.max(1, Math.round(parseDuration(duration) ?? fallback));
}

/** The agent config of the context's revision, validated against the agent's own schema. */
export function buildAgentConfig(ctx: BuildContext): AgentConfig {
  return validateAgentConfig({ revision: ctx.revision, ...agentConfigBody(ctx.md, ctx.runtime, ctx.settings) });
}

/** The text of config.json: canonical (sorted keys), indented, newline-terminated. */
export function agentConfigJson(config: AgentConfig): string {
  return `${canonicalJson(config, 2)}\n`;
}

/** Hash of config.json's content, for the pod annotation. */
export function agentConfigHash(config: AgentConfig): string {
  return shortHash(agentConfigJson(config));
}
