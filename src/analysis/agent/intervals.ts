// Counters are cumulative: what a pod did in one interval is its scrape minus the previous scrape
// of the same pod. ScrapeMemory keeps the previous scrape per pod in memory (lost on an operator
// restart, after which the first interval counts from the pods' start).
import { AGENT_METRICS } from "../metric-names.ts";
import { isCumulative, seriesKey, type Exposition, type Sample } from "./text-format.ts";

/** One successful scrape of one pod's agent. */
export interface PodScrape {
  readonly pod: string;
  /** When it was taken (the analyzer's clock, ms). */
  readonly at: number;
  readonly exposition: Exposition;
}

/** What one pod did in the interval that ends with `current`. */
export interface PodInterval {
  readonly pod: string;
  /** Cumulative series (counters, histogram buckets/count/sum) as their increase over the interval. */
  readonly increases: readonly Sample[];
  /** The scrape at the end of the interval (gauges are read from it as they are). */
  readonly current: Exposition;
  /** No previous scrape of the pod: `increases` are the counts since the pod's agent started. */
  readonly sinceStart: boolean;
  /** A counter went down or the process start time changed (the agent restarted): counts since the restart. */
  readonly reset: boolean;
  /** Since the previous scrape; undefined with `sinceStart`. */
  readonly elapsedMs?: number;
}

/**
 * The interval between two scrapes of one pod. A series absent from `previous` counts from 0 (a
 * labelled counter appears at its first increment). When any cumulative series went down, or the
 * agent's process start time changed, the agent restarted: every series counts from 0 again, as
 * the previous values belong to the process that ended.
 */
export function podInterval(previous: PodScrape | undefined, current: PodScrape): PodInterval {
  const cumulative = current.exposition.samples.filter((s) => isCumulative(current.exposition.types, s));
  if (previous === undefined) {
    return { pod: current.pod, increases: cumulative, current: current.exposition, sinceStart: true, reset: false };
  }
  const before = new Map<string, number>();
  for (const s of previous.exposition.samples) before.set(seriesKey(s), s.value);
  const startBefore = startTime(previous.exposition);
  const startNow = startTime(current.exposition);
  let reset = startBefore !== undefined && startNow !== undefined && startBefore !== startNow;
  if (!reset) reset = cumulative.some((s) => s.value < (before.get(seriesKey(s)) ?? 0));
  const increases = reset ? cumulative : cumulative.map((s) => ({ ...s, value: s.value - (before.get(seriesKey(s)) ?? 0) }));
  return { pod: current.pod, increases, current: current.exposition, sinceStart: false, reset, elapsedMs: current.at - previous.at };
}

function startTime(exposition: Exposition): number | undefined {
  return exposition.samples.find((s) => s.name === AGENT_METRICS.processStart)?.value;
}

/** Default for how long a revision's scrapes are kept after its last analysis. */
export const SCRAPE_MEMORY_MAX_AGE_MS = 3 * 3_600_000;

/**
 * Previous scrapes per revision and pod. Bounded: pods that are no longer located are dropped,
 * and revisions not analysed for `maxAgeMs` are forgotten.
 */
export class ScrapeMemory {
  private readonly revisions = new Map<string, { seenAt: number; pods: Map<string, PodScrape> }>();
  private readonly maxAgeMs: number;

  constructor(maxAgeMs = SCRAPE_MEMORY_MAX_AGE_MS) {
    this.maxAgeMs = maxAgeMs;
  }

  /**
   * The intervals of `scrapes` (one per pod) against the remembered ones, then remembers
   * `scrapes`. Pods in `located` that could not be scraped keep their previous scrape; pods
   * in neither are forgotten.
   */
  advance(revisionKey: string, scrapes: readonly PodScrape[], located: readonly string[], now: number): PodInterval[] {
    for (const [key, entry] of this.revisions) if (now - entry.seenAt > this.maxAgeMs) this.revisions.delete(key);
    const old = this.revisions.get(revisionKey)?.pods ?? new Map<string, PodScrape>();
    const intervals = scrapes.map((s) => podInterval(old.get(s.pod), s));
    const pods = new Map<string, PodScrape>();
    for (const pod of located) {
      const kept = old.get(pod);
      if (kept !== undefined) pods.set(pod, kept);
    }
    for (const s of scrapes) pods.set(s.pod, s);
    this.revisions.set(revisionKey, { seenAt: now, pods });
    return intervals;
  }

  /** Revisions remembered (for tests of the bound). */
  get size(): number {
    return this.revisions.size;
  }
}
