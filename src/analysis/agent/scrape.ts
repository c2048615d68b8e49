// Reads one agent's metrics port: GET /metrics (Prometheus text) and GET /drift (the latest drift
// window report as JSON, 404 while there is none).
import type { Dispatcher } from "undici";
import { z } from "zod";
import { parseJsonWith } from "../../runtime/parse-with.ts";
import { MetricsSourceError } from "../errors.ts";
import { describeError } from "../../runtime/errors.ts";
import { exchange } from "../http.ts";
import type { AgentEndpoint } from "./locator.ts";
import { parseExposition, type Exposition } from "./text-format.ts";

export interface ScrapeOptions {
  readonly timeoutMs: number;
  /** Largest answer accepted; default 8 MiB. */
  readonly maxBytes?: number;
  readonly dispatcher?: Dispatcher;
  readonly signal?: AbortSignal;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** The parts of the agent's drift report (src/drift/report.ts) the analysis reads. */
const ReportedVariable = z.object({
  name: z.string(),
  psi: z.number().nullable(),
  /** The window's bin counts and the baseline's, for pooling pods (agents before 2026-12 send neither). */
  counts: z.array(z.number().min(0)).max(1001).optional(),
  baselineCounts: z.array(z.number().min(0)).max(1001).optional(),
});

export const AgentDriftReport = z.object({
  windowSamples: z.number().min(0),
  maxPSI: z.number().nullable().optional(),
  features: z.array(ReportedVariable),
  /** The model's outputs against the baseline's prediction profile (when it has one). */
  prediction: ReportedVariable.optional(),
});
export type AgentDriftReport = z.output<typeof AgentDriftReport>;

function http(endpoint: AgentEndpoint, path: string, options: ScrapeOptions) {
  return exchange(`${endpoint.url}${path}`, {
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
}

/** The agent's metrics. Throws MetricsSourceError (unreachable, not 200, not parsable). */
export async function scrapeMetrics(endpoint: AgentEndpoint, options: ScrapeOptions): Promise<Exposition> {
  const answer = await http(endpoint, "/metrics", options);
  if (answer.status !== 200) throw new MetricsSourceError(`GET ${endpoint.url}/metrics (pod ${endpoint.pod}) answered ${answer.status}`);
  try {
    return parseExposition(answer.text);
  } catch (error) {
    throw new MetricsSourceError(`GET ${endpoint.url}/metrics (pod ${endpoint.pod}): ${describeError(error)}`, { cause: error });
  }
}

/**
 * The agent's latest drift report, or undefined when it has none (404: drift off, or no complete
 * window yet). Throws MetricsSourceError for anything else that is not a valid report.
 */
export async function fetchDrift(endpoint: AgentEndpoint, options: ScrapeOptions): Promise<AgentDriftReport | undefined> {
  const answer = await http(endpoint, "/drift", options);
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new MetricsSourceError(`GET ${endpoint.url}/drift (pod ${endpoint.pod}) answered ${answer.status}`);
  return parseJsonWith(AgentDriftReport, answer.text, `drift report of pod ${endpoint.pod}`,
    (message, cause) => new MetricsSourceError(message, { cause }));
}
