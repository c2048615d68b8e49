// The MDO agent's configuration: JSON the operator writes into the agent ConfigMap
// (src/controllers/modeldeployment/builders/configmap.ts) and the agent reads at start-up.
// Durations are milliseconds and sizes bytes, so the agent never re-parses the API's strings.
import { z } from "zod";
import { documentParsers } from "../runtime/parse-with.ts";
import { PROTOCOLS } from "../api/index.ts";

const port = z.int().min(1).max(65535);
const absolutePath = z.string().min(2).max(4096).startsWith("/");
const urlPath = z.string().min(1).max(2048).startsWith("/");
/** A revision's name (the pods' mdo.dev/revision label): a label value on agent metrics. */
const revisionName = z.string().min(1).max(63).regex(/^[a-z0-9]+$/);

const ListenConfig = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe("Address to bind; when absent, every interface (IPv4 and IPv6). Tests bind 127.0.0.1."),
    port: port.describe("Port of the prediction API (the pod's public port, Service port http)."),
    metricsPort: port.describe("Port of GET /metrics (Prometheus text format)."),
  })
  .refine((listen) => listen.port !== listen.metricsPort, {
    message: "listen.port and listen.metricsPort must differ",
  });

const UpstreamConfig = z.strictObject({
  host: z.string().min(1).max(253).describe("Host of the model server; 127.0.0.1 in a pod."),
  port: port.describe("HTTP port of the model server."),
  readinessPath: urlPath.describe("Answers 200 once the model is loaded; gates the agent's /readyz."),
  livenessPath: urlPath.describe("Answers 200 while the model server is alive."),
});

const LimitsConfig = z.strictObject({
  maxRequestBytes: z.int().min(1).describe("Largest accepted request body; larger get 413."),
  timeoutMs: z.int().min(1).describe("Longest wait for the model server's response; then 504."),
  maxConcurrency: z
    .int()
    .min(1)
    .optional()
    .describe("Most requests in flight; more get 503. When absent, unlimited."),
});

const CacheConfig = z.strictObject({
  maxEntries: z.int().min(1).describe("Most cached predictions; least recently used go first."),
  ttlMs: z.int().min(1).describe("How long a cached prediction stays valid."),
  maxBytes: z
    .int()
    .min(1)
    .optional()
    .describe(
      "Most bytes cached predictions may take (bodies, headers and keys); least recently used go " +
        "first. When absent, 64 MiB.",
    ),
});

const AuthConfig = z.strictObject({
  apiKeyFile: absolutePath.describe(
    "File holding the API key (a mounted Secret key). Re-read when it changes, so a rotated " +
      "Secret takes effect without a restart. The key itself never appears in this config.",
  ),
});

const DriftConfig = z.strictObject({
  baselineFile: absolutePath.describe(
    "Baseline profile (a mounted ConfigMap key). It may be missing: the agent then serves as " +
      "usual and reports drift as unavailable instead of failing readiness.",
  ),
  window: z.int().min(1).describe(
    "Rows per tumbling window of this pod: a window closes at this many rows (or 10 minutes after its first, with at least 100) " +
      "and is reported whole; it is not a sliding window of the most recent requests.",
  ),
});

const FeedbackConfig = z.strictObject({
  kind: z.enum(["classification", "regression"]).describe("How labels are scored: class equality (accuracy) or numeric error (MAE, RMSE)."),
  maxPredictions: z.int().min(1).max(10_000_000).describe("Most requests whose predictions are kept waiting for labels; the oldest go first."),
  ttlMs: z.int().min(1000).max(7 * 24 * 3_600_000).describe("How long a request's predictions can be labelled, 1 s to 7 days."),
});

const Tolerance = z.number().min(0).max(1e12);
export const ShadowConfig = z.strictObject({
  source: revisionName.optional().describe(
    "The revision whose agents mirror (the stable one). The settings file is mounted by every revision's pods, the candidate's " +
      "included: an agent of another revision ignores the settings (never mirrors to itself). When absent, any agent mirrors.",
  ),
  candidate: revisionName.describe(
    "The candidate revision's name: the `candidate` label of the mdo_agent_shadow_* metrics, so counts for different candidates never mix.",
  ),
  url: z.string().url().max(2048).regex(/^https?:\/\/[^/?#@]+$/).describe("The candidate revision's agent, http://host:port, where mirrored requests go."),
  sampleRate: z.number().min(0).max(1).describe("Share of prediction requests mirrored."),
  maxInFlight: z.int().min(1).max(10_000).describe("Mirrors in flight at most; more are dropped and counted."),
  timeoutMs: z.int().min(1).max(3_600_000).describe("A mirror unanswered this long counts as a candidate error."),
  comparison: z.discriminatedUnion("mode", [
    z.strictObject({ mode: z.literal("label"), fields: z.array(z.string().min(1)).min(1).max(1).optional() }),
    z.strictObject({
      mode: z.literal("numeric"), absoluteTolerance: Tolerance.optional(), relativeTolerance: Tolerance.optional(),
      fields: z.array(z.string().min(1)).min(1).max(64).optional(),
    }),
    z.strictObject({ mode: z.literal("exact"), fields: z.array(z.string().min(1)).min(1).max(64).optional() }),
  ]).describe("How the two answers are compared (src/agent/answers/compare.ts)."),
});

/**
 * The agent's whole configuration. Contract: the operator writes every field it means (no
 * reliance on defaults), unknown fields are errors (a typo must not silently disable a limit),
 * and nothing secret is inline: credentials are files the agent reads.
 */
export const AgentConfig = z.strictObject({
  revision: revisionName.describe("Revision of the pods this config belongs to; a label on every agent metric."),
  model: z.strictObject({
    name: z.string().min(1).max(63).describe("Model name: the ModelDeployment's name."),
    version: z.string().min(1).max(63).describe("Model version shown in metrics and logs."),
  }),
  protocol: z.enum(PROTOCOLS).describe("How the agent reads requests for metrics, cache and drift."),
  listen: ListenConfig,
  upstream: UpstreamConfig,
  limits: LimitsConfig,
  cache: CacheConfig.optional().describe("Prediction cache; when absent, off."),
  auth: AuthConfig.optional().describe("API-key authentication; when absent, every request is served."),
  drift: DriftConfig.optional().describe("Drift binning; when absent, off."),
  shadow: ShadowConfig.optional().describe("Mirror a share of prediction requests to a candidate revision and compare the answers; when absent, off."),
  shadowFile: absolutePath.optional().describe(
    "A file (a mounted ConfigMap key, ADR 0009) holding the shadow settings as JSON, followed while the agent runs: " +
      "missing, empty or {} means off. Overrides `shadow`.",
  ),
  feedback: FeedbackConfig.optional().describe(
    "Ground truth: predictions kept by request id (x-mdo-request-id) and labels posted to POST /mdo/feedback joined and scored; when absent, off.",
  ),
  logPayloads: z
    .boolean()
    .describe("Whether request and response bodies are logged; the operator writes true when spec.serving.payloadLogging is set."),
  payloadSink: z
    .strictObject({
      url: z.string().url().max(2048).regex(/^https?:\/\//).describe("Where batches of CloudEvents are POSTed (http or https)."),
      batchSize: z.int().min(1).max(1000).optional().describe("Events per POST; when absent, 100."),
      flushIntervalMs: z.int().min(10).max(60_000).optional().describe("Longest wait before a partial batch is sent; when absent, 1000."),
    })
    .optional()
    .describe("When logPayloads is true, send records as CloudEvents (batched JSON) to this HTTP sink instead of stdout."),
  payloadSampleRate: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("Fraction of requests whose bodies are logged when logPayloads is true; when absent, 1."),
});
export type AgentConfig = z.output<typeof AgentConfig>;
export type ShadowConfig = z.output<typeof ShadowConfig>;

/** Whether the agent of `revision` mirrors by `settings` (their `source` is absent or is that revision). */
export function mirrorsFrom(settings: ShadowConfig, revision: string): boolean {
  return settings.source === undefined || settings.source === revision;
}

/** A configuration that is not valid JSON or not a valid AgentConfig; `cause` has the details. */
export class AgentConfigError extends Error {
  override readonly name = "AgentConfigError";
}

const agentConfigParsers = documentParsers(AgentConfig, "agent configuration", (message, cause) => new AgentConfigError(message, { cause }));
/** Validates an already-parsed value. Throws AgentConfigError naming every invalid field. */
export const validateAgentConfig = agentConfigParsers.validate;
/** Parses the text of config.json. Throws AgentConfigError for invalid JSON or content. */
export const parseAgentConfig = agentConfigParsers.parse;
