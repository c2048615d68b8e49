// The traffic of a revision in one interval from its pods' intervals: requests and 5xx answers
// summed over pods, and p99 from the summed latency buckets. Pure.
import { histogramQuantile, type Bucket } from "../histogram-quantile.ts";
import { AGENT_METRICS, LATENCY_BUCKET } from "../metric-names.ts";
import { EXCLUDED_ROUTES, type Traffic } from "../provider.ts";
import type { PodInterval } from "./intervals.ts";

const excluded = new Set<string>(EXCLUDED_ROUTES);

/** Requests, 5xx answers and p99 (ms) over the analysed routes of all `pods`. */
export function trafficOf(pods: readonly PodInterval[]): Traffic {
  let requests = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  for (const pod of pods) {
    for (const s of pod.increases) {
      if (excluded.has(s.labels.route ?? "")) continue;
      if (s.name === AGENT_METRICS.requests) {
        requests += s.value;
        if (/^5\d\d$/.test(s.labels.code ?? "")) errors += s.value;
      } else if (s.name === LATENCY_BUCKET) {
        const le = parseLe(s.labels.le);
        if (le !== undefined) buckets.set(le, (buckets.get(le) ?? 0) + s.value);
      }
    }
  }
  const list: Bucket[] = [...buckets].map(([le, count]) => ({ le, count }));
  const p99 = histogramQuantile(0.99, list);
  const elapsed = pods.map((p) => p.elapsedMs);
  const windowMs = elapsed.length === 0 || elapsed.some((e) => e === undefined) ? undefined : Math.max(...(elapsed as number[]));
  return { requests, errors, latencyP99Ms: Number.isFinite(p99) ? p99 * 1000 : undefined, windowMs };
}

function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === "+Inf") return Number.POSITIVE_INFINITY;
  const value = Number(le);
  return Number.isNaN(value) ? undefined : value;
}

/** How the interval was measured, for the verdict message ("" when every pod had a previous scrape). */
export function intervalNote(pods: readonly PodInterval[]): string {
  const first = pods.filter((p) => p.sinceStart).length;
  const reset = pods.filter((p) => p.reset).length;
  const notes: string[] = [];
  if (first > 0) notes.push(`${first} of ${pods.length} agents read for the first time: counted since they started`);
  if (reset > 0) notes.push(`${reset} of ${pods.length} agents restarted: counted since the restart`);
  return notes.join("; ");
}
