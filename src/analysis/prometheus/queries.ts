// The PromQL of the built-in checks over the agents' metrics (docs/metrics.md) of one revision.
// Requests and 5xx answers are two counts (the success rate is computed from them, as the agent
// provider does); p99 is histogram_quantile over the summed bucket rates. Pure.
import { AGENT_METRICS, LATENCY_BUCKET } from "../metric-names.ts";
import { EXCLUDED_ROUTES, type AnalysisTarget } from "../provider.ts";
import { promDuration, revisionMatchers } from "./template.ts";

export interface BuiltinQueries {
  /** Requests answered in the interval (empty result: none). */
  readonly requests: string;
  /** Of those, answered with a 5xx code (empty result: none). */
  readonly errors: string;
  /** 99th percentile latency in seconds (NaN or empty: no requests). */
  readonly latencyP99: string;
}

export function builtinQueries(target: AnalysisTarget): BuiltinQueries {
  const revision = revisionMatchers(target);
  const routes = `route!~"${EXCLUDED_ROUTES.join("|")}"`;
  const window = `[${promDuration(target.intervalMs)}]`;
  const requests = `${AGENT_METRICS.requests}{${revision},${routes}}`;
  return {
    requests: `sum(increase(${requests}${window}))`,
    errors: `sum(increase(${AGENT_METRICS.requests}{${revision},${routes},code=~"5.."}${window}))`,
    latencyP99: `histogram_quantile(0.99, sum by (le) (rate(${LATENCY_BUCKET}{${revision},${routes}}${window})))`,
  };
}
