// The `agent` provider: the operator reads the agents of a revision itself (located through
// EndpointSlices), no Prometheus needed. Traffic and custom metrics come from /metrics (deltas
// against the previous scrape, see intervals.ts), drift from /drift, agreement from the stable
// revision's /metrics (shadow-agreement.ts). One analysis per revision at a time (the work queue
// never runs a key twice at once): two overlapping calls would split one interval between them.
import type { Dispatcher } from "undici";
import type { Clock } from "../../runtime/clock.ts";
import { describeError } from "../../runtime/errors.ts";
import { AGENT_METRICS } from "../metric-names.ts";
import type { AgreementRequest, AnalysisTarget, DriftRequest, LabelScores, MeasureRequest, Measurements, MetricsProvider, Reading, ShadowAgreement, Traffic } from "../provider.ts";
import { unavailable } from "../provider.ts";
import { NO_DATA_REASONS } from "../reasons.ts";
import { agentMetricValue, parseSelector } from "./custom-metric.ts";
import { ScrapeMemory, type PodInterval, type PodScrape } from "./intervals.ts";
import type { AgentEndpoint, AgentLocator } from "./locator.ts";
import type { DriftEvidence } from "../drift-evidence.ts";
import { canaryDriftEvidence } from "./canary-drift.ts";
import { combineDrift, type RevisionDrift } from "./revision-drift.ts";
import { fetchDrift, scrapeMetrics, type ScrapeOptions } from "./scrape.ts";
import { shadowAgreementOf } from "./shadow-agreement.ts";
import type { Exposition } from "./text-format.ts";
import { intervalNote, trafficOf } from "./traffic.ts";

export interface AgentProviderOptions {
  readonly locator: AgentLocator;
  /** Per request to one agent. */
  readonly timeoutMs: number;
  /** Stamps each scrape (ms); the intervals between scrapes are measured with it. */
  readonly clock: Pick<Clock, "now">;
  readonly memory?: ScrapeMemory;
  readonly dispatcher?: Dispatcher;
}

type Located = { ok: true; agents: AgentEndpoint[] } | { ok: false; reason: string; message: string };

export class AgentProvider implements MetricsProvider {
  private readonly options: AgentProviderOptions;
  private readonly memory: ScrapeMemory;

  constructor(options: AgentProviderOptions) {
    this.options = options;
    this.memory = options.memory ?? new ScrapeMemory();
  }

  async measure(target: AnalysisTarget, wanted: MeasureRequest, signal?: AbortSignal): Promise<Measurements> {
    const located = await this.locate(target, signal);
    if (!located.ok) {
      const none = unavailable<never>(located.reason, located.message);
      return {
        ...(wanted.traffic ? { traffic: none } : {}),
        ...(wanted.drift ? { drift: none } : {}),
        ...(wanted.groundTruth ? { groundTruth: none } : {}),
        ...(wanted.agreement === undefined ? {} : { agreement: none }),
        metrics: new Map(wanted.metrics.map((q) => [q, none])),
      };
    }
    const [intervals, drift, agreement] = await Promise.all([
      wanted.traffic || wanted.groundTruth || wanted.metrics.length > 0 ? this.intervals(target, located.agents, signal) : undefined,
      wanted.drift === undefined ? undefined : this.canaryDrift(target, located.agents, wanted.drift, signal),
      wanted.agreement === undefined ? undefined : this.agreement(target, wanted.agreement, signal),
    ]);
    const metrics = new Map<string, Reading<number>>();
    for (const query of wanted.metrics) metrics.set(query, intervals === undefined ? unreachable() : metricReading(query, intervals));
    return {
      ...(wanted.traffic && intervals !== undefined ? { traffic: trafficReading(intervals) } : {}),
      ...(drift === undefined ? {} : { drift }),
      ...(wanted.groundTruth ? { groundTruth: intervals === undefined ? unreachable<LabelScores>() : labelScoresReading(intervals) } : {}),
      ...(agreement === undefined ? {} : { agreement }),
      metrics,
    };
  }

  /** The revision's drift from its agents' /drift reports (for status.drift of any revision). */
  async revisionDrift(namespace: string, name: string, revision: string, signal?: AbortSignal): Promise<Reading<RevisionDrift>> {
    const located = await this.locate({ namespace, name, revision, intervalMs: 0 }, signal);
    if (!located.ok) return unavailable(located.reason, located.message);
    return this.drift(located.agents, signal);
  }

  /** The drift check's evidence: the canary's pooled windows against the baseline and the stable revision's. */
  private async canaryDrift(target: AnalysisTarget, agents: AgentEndpoint[], wanted: DriftRequest, signal?: AbortSignal): Promise<Reading<DriftEvidence>> {
    const stableRevision = wanted.stableRevision !== undefined && wanted.stableRevision !== target.revision ? wanted.stableRevision : undefined;
    const [canary, stable] = await Promise.all([
      this.drift(agents, signal),
      stableRevision === undefined ? undefined : this.revisionDrift(target.namespace, target.name, stableRevision, signal),
    ]);
    if (!canary.ok) return canary;
    const { evidence, note } = canaryDriftEvidence({ canary: canary.value, stable: stable?.ok === true ? stable.value : undefined, minWindow: wanted.minWindow });
    return { ok: true, value: evidence, note };
  }

  /**
   * A revision's ground truth since its pods started: the agents' feedback counters summed
   * (cumulative, no interval), for status.performance. Unavailable when an agent cannot be read.
   */
  async revisionQuality(namespace: string, name: string, revision: string, signal?: AbortSignal): Promise<Reading<LabelScores>> {
    const located = await this.locate({ namespace, name, revision, intervalMs: 0 }, signal);
    if (!located.ok) return unavailable(located.reason, located.message);
    const scraped = await this.scrapeAll(located.agents, signal);
    if (!scraped.ok) return scraped;
    const total = (name: string): number => scraped.value.reduce((sum, e) => sum + e.samples.filter((s) => s.name === name).reduce((n, s) => n + s.value, 0), 0);
    return {
      ok: true,
      value: {
        rows: total(AGENT_METRICS.feedbackRows), correct: total(AGENT_METRICS.feedbackCorrect),
        absoluteError: total(AGENT_METRICS.feedbackAbsoluteError), squaredError: total(AGENT_METRICS.feedbackSquaredError),
      },
      note: `${scraped.value.length} agents, since their pods started`,
    };
  }

  /**
   * The agreement check's reading: what the stable revision's agents counted mirroring to the
   * canary (target.revision), since they started. NoAgents when the stable revision has none;
   * unavailable when one cannot be read.
   */
  private async agreement(target: AnalysisTarget, wanted: AgreementRequest, signal?: AbortSignal): Promise<Reading<ShadowAgreement>> {
    const located = await this.locate({ ...target, revision: wanted.stableRevision }, signal);
    if (!located.ok) return unavailable(located.reason, located.message);
    const scraped = await this.scrapeAll(located.agents, signal);
    if (!scraped.ok) return scraped;
    const note = `counted by ${scraped.value.length} agents of the stable revision ${wanted.stableRevision} since they started`;
    return { ok: true, value: shadowAgreementOf(scraped.value, target.revision), note };
  }

  /** Every agent's /metrics, or unavailable when any cannot be read (a partial sum could hide a pod). */
  private async scrapeAll(agents: AgentEndpoint[], signal?: AbortSignal): Promise<Reading<Exposition[]>> {
    const options = this.scrapeOptions(signal);
    const results = await Promise.allSettled(agents.map((a) => scrapeMetrics(a, options)));
    const expositions: Exposition[] = [];
    const failures: unknown[] = [];
    for (const r of results) {
      if (r.status === "fulfilled") expositions.push(r.value);
      else failures.push(r.reason);
    }
    if (failures.length > 0) {
      return unavailable(NO_DATA_REASONS.metricsUnavailable, `could not read ${failures.length} of ${agents.length} agents: ${describeError(failures[0])}`);
    }
    return { ok: true, value: expositions };
  }

  private async locate(target: AnalysisTarget, signal?: AbortSignal): Promise<Located> {
    try {
      const agents = await this.options.locator.locate(target.namespace, target.name, target.revision, signal);
      if (agents.length > 0) return { ok: true, agents };
      return { ok: false, reason: NO_DATA_REASONS.noAgents, message: `no ready agent of revision ${target.revision} was found` };
    } catch (error) {
      return { ok: false, reason: NO_DATA_REASONS.metricsUnavailable, message: describeError(error) };
    }
  }

  private scrapeOptions(signal?: AbortSignal): ScrapeOptions {
    return {
      timeoutMs: this.options.timeoutMs,
      ...(signal === undefined ? {} : { signal }),
      ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
    };
  }

  /** Scrapes every agent; the intervals, or why not (any agent that could not be read). */
  private async intervals(target: AnalysisTarget, agents: AgentEndpoint[], signal?: AbortSignal): Promise<Reading<PodInterval[]>> {
    const options = this.scrapeOptions(signal);
    const results = await Promise.allSettled(agents.map((a) => scrapeMetrics(a, options)));
    const at = this.options.clock.now();
    const scrapes: PodScrape[] = [];
    const failures: string[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") scrapes.push({ pod: agents[i]!.pod, at, exposition: r.value });
      else failures.push(describeError(r.reason));
    });
    const key = `${target.namespace}/${target.name}/${target.revision}`;
    const intervals = this.memory.advance(key, scrapes, agents.map((a) => a.pod), at);
    if (failures.length > 0) {
      return unavailable(NO_DATA_REASONS.metricsUnavailable, `could not read ${failures.length} of ${agents.length} agents: ${failures[0]}`);
    }
    return { ok: true, value: intervals };
  }

  private async drift(agents: AgentEndpoint[], signal?: AbortSignal): Promise<Reading<RevisionDrift>> {
    const options = this.scrapeOptions(signal);
    const results = await Promise.allSettled(agents.map((a) => fetchDrift(a, options)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed !== undefined) {
      const count = results.filter((r) => r.status === "rejected").length;
      return unavailable(NO_DATA_REASONS.metricsUnavailable, `could not read the drift of ${count} of ${agents.length} agents: ${describeError(failed.reason)}`);
    }
    const combined = combineDrift(results.map((r) => (r.status === "fulfilled" ? r.value : undefined)));
    if (combined === undefined) {
      return unavailable(NO_DATA_REASONS.driftUnavailable, `none of ${agents.length} agents has a drift report (no baseline, or no complete window yet)`);
    }
    const note = `${combined.reporting} of ${combined.agents} agents reporting, window ${combined.window} rows, most drifted feature ${combined.features[0]?.name ?? "?"}`;
    return { ok: true, value: combined, note };
  }
}

function unreachable<T = number>(): Reading<T> {
  return unavailable<T>(NO_DATA_REASONS.metricsUnavailable, "agents were not scraped");
}

function trafficReading(intervals: Reading<PodInterval[]>): Reading<Traffic> {
  if (!intervals.ok) return intervals;
  const note = intervalNote(intervals.value);
  return { ok: true, value: trafficOf(intervals.value), ...(note === "" ? {} : { note }) };
}

/** The interval's increases of the agents' feedback counters (AGENT_METRICS.feedback*), summed over pods. */
function labelScoresReading(intervals: Reading<PodInterval[]>): Reading<LabelScores> {
  if (!intervals.ok) return intervals;
  const increase = (name: string): Reading<number> => agentMetricValue({ name, matchers: [] }, intervals.value);
  const [rows, correct, absoluteError] = [AGENT_METRICS.feedbackRows, AGENT_METRICS.feedbackCorrect, AGENT_METRICS.feedbackAbsoluteError].map(increase);
  if (rows === undefined || !rows.ok) return rows ?? unreachable<LabelScores>();
  const note = intervalNote(intervals.value);
  return {
    ok: true,
    value: { rows: rows.value, correct: correct?.ok === true ? correct.value : 0, absoluteError: absoluteError?.ok === true ? absoluteError.value : 0 },
    ...(note === "" ? {} : { note }),
  };
}

function metricReading(query: string, intervals: Reading<PodInterval[]>): Reading<number> {
  if (!intervals.ok) return intervals;
  const selector = parseSelector(query);
  if (typeof selector === "string") return unavailable(NO_DATA_REASONS.invalidQuery, selector);
  const reading = agentMetricValue(selector, intervals.value);
  const note = intervalNote(intervals.value);
  return reading.ok && note !== "" ? { ...reading, note: `${reading.note ?? ""}; ${note}` } : reading;
}
