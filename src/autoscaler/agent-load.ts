// One agent's load report (GET /load on its metrics port, src/agent/load.ts) and the per-pod load
// between two of them: average requests in flight, or requests per second, since the last one.
import type { Dispatcher } from "undici";
import { z } from "zod";
import type { AgentEndpoint } from "../analysis/agent/locator.ts";
import { MetricsSourceError } from "../analysis/errors.ts";
import { exchange } from "../analysis/http.ts";
import { describeError } from "../runtime/errors.ts";
import type { LoadMetric } from "./policy.ts";

export const AgentLoadReport = z.object({
  inFlight: z.number().min(0),
  /** Time integral of requests in flight since the agent started. */
  concurrencySeconds: z.number().min(0),
  /** Requests started since the agent started. */
  requests: z.number().min(0),
  /** The agent's monotonic clock when it answered. */
  monotonicMs: z.number(),
});
export type AgentLoadReport = z.output<typeof AgentLoadReport>;

/** GET /load of one agent. Throws MetricsSourceError (unreachable, not 200, not a load report). */
export async function readAgentLoad(endpoint: AgentEndpoint, options: { timeoutMs: number; signal?: AbortSignal; dispatcher?: Dispatcher }): Promise<AgentLoadReport> {
  const answer = await exchange(`${endpoint.url}/load`, {
    timeoutMs: options.timeoutMs,
    maxBytes: 4096,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  if (answer.status !== 200) throw new MetricsSourceError(`GET ${endpoint.url}/load (pod ${endpoint.pod}) answered ${answer.status}`);
  try {
    return AgentLoadReport.parse(JSON.parse(answer.text));
  } catch (error) {
    throw new MetricsSourceError(`GET ${endpoint.url}/load (pod ${endpoint.pod}): ${describeError(error)}`, { cause: error });
  }
}

/**
 * The load of each pod since its previous report. A pod's first report (or one after its agent
 * restarted: its clock or counters went back) gives requests in flight right now for concurrency
 * and nothing for rps, which needs two.
 */
export class PodLoads {
  private readonly previous = new Map<string, AgentLoadReport>();

  loadOf(pod: string, report: AgentLoadReport, metric: LoadMetric): number | undefined {
    const before = this.previous.get(pod);
    this.previous.set(pod, report);
    const seconds = before === undefined ? 0 : (report.monotonicMs - before.monotonicMs) / 1000;
    const fresh = before === undefined || seconds <= 0 || report.requests < before.requests || report.concurrencySeconds < before.concurrencySeconds;
    if (fresh) return metric === "concurrency" ? report.inFlight : undefined;
    return metric === "concurrency"
      ? (report.concurrencySeconds - before.concurrencySeconds) / seconds
      : (report.requests - before.requests) / seconds;
  }

  /** Forgets pods not in `pods` (gone, or no longer ready). */
  keepOnly(pods: ReadonlySet<string>): void {
    for (const pod of this.previous.keys()) if (!pods.has(pod)) this.previous.delete(pod);
  }
}
