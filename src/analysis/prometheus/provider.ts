// The `prometheus` provider: the built-in checks as PromQL over the agents' metrics
// (queries.ts), custom checks as the user's PromQL with placeholders rendered (template.ts).
import type { Clock } from "../../runtime/clock.ts";
import type { AnalysisTarget, LabelScores, MeasureRequest, Measurements, MetricsProvider, Reading, ShadowAgreement, Traffic } from "../provider.ts";
import { unavailable } from "../provider.ts";
import { NO_DATA_REASONS } from "../reasons.ts";
import type { DriftEvidence } from "../drift-evidence.ts";
import type { PrometheusClient, Sample } from "./client.ts";
import { driftEvidenceFromSeries, driftQueries } from "./drift.ts";
import { AGENT_METRICS } from "../metric-names.ts";
import { promDuration, revisionMatchers } from "./template.ts";
import { agreementQueries } from "./agreement.ts";
import { builtinQueries } from "./queries.ts";
import { renderQuery } from "./template.ts";

export class PrometheusProvider implements MetricsProvider {
  private readonly client: PrometheusClient;
  private readonly clock: Pick<Clock, "now">;

  /** `clock` gives the evaluation time of each interval's queries. */
  constructor(client: PrometheusClient, clock: Pick<Clock, "now">) {
    this.client = client;
    this.clock = clock;
  }

  /** Runs every query it needs in parallel. */
  async measure(target: AnalysisTarget, wanted: MeasureRequest, signal?: AbortSignal): Promise<Measurements> {
    const at = this.clock.now() / 1000; // one evaluation time for every query of this interval
    const [traffic, drift, metrics] = await Promise.all([
      wanted.traffic ? this.traffic(target, at, signal) : undefined,
      wanted.drift === undefined ? undefined : this.drift(target, wanted.drift.minWindow, at, signal),
      Promise.all(wanted.metrics.map(async (template) => [template, await this.custom(template, target, at, signal)] as const)),
    ]);
    const groundTruth = wanted.groundTruth ? await this.labelScores(target, at, signal) : undefined;
    const agreement = wanted.agreement === undefined ? undefined : await this.agreement(target, wanted.agreement.stableRevision, at, signal);
    return {
      ...(traffic === undefined ? {} : { traffic }),
      ...(drift === undefined ? {} : { drift }),
      ...(groundTruth === undefined ? {} : { groundTruth }),
      ...(agreement === undefined ? {} : { agreement }),
      metrics: new Map(metrics),
    };
  }

  private async traffic(target: AnalysisTarget, at: number, signal?: AbortSignal): Promise<Reading<Traffic>> {
    const queries = builtinQueries(target);
    const [requests, errors, p99] = await Promise.all([
      this.client.query(queries.requests, "sum", signal, at),
      this.client.query(queries.errors, "sum", signal, at),
      this.client.query(queries.latencyP99, "one", signal, at),
    ]);
    if (!requests.ok) return requests;
    if (!errors.ok) return errors;
    // With requests in the window p99 has a value; NoSamples here means there were none.
    if (!p99.ok && p99.reason !== NO_DATA_REASONS.noSamples) return p99;
    const latencyP99Ms = p99.ok ? p99.value * 1000 : undefined;
    const note = "Prometheus increase(), extrapolated to the window";
    return { ok: true, value: { requests: requests.value, errors: errors.value, latencyP99Ms, windowMs: target.intervalMs }, note };
  }

  /** The interval's increases of the agents' feedback counters, summed (no series: none joined). */
  private async labelScores(target: AnalysisTarget, at: number, signal?: AbortSignal): Promise<Reading<LabelScores>> {
    const revision = revisionMatchers(target);
    const increase = (name: string): string => `sum(increase(${name}{${revision}}[${promDuration(target.intervalMs)}]))`;
    const [rows, correct, absoluteError] = await Promise.all([AGENT_METRICS.feedbackRows, AGENT_METRICS.feedbackCorrect, AGENT_METRICS.feedbackAbsoluteError]
      .map((name) => this.client.query(increase(name), "sum", signal, at)));
    for (const reading of [rows, correct, absoluteError]) if (reading !== undefined && !reading.ok) return reading;
    const value = (r: Reading<number> | undefined): number => (r?.ok === true ? r.value : 0);
    return { ok: true, value: { rows: value(rows), correct: value(correct), absoluteError: value(absoluteError) }, note: "Prometheus increase(), extrapolated to the window" };
  }

  /** The stable revision's comparisons with the canary (agreement.ts); no series: all 0. */
  private async agreement(target: AnalysisTarget, stableRevision: string, at: number, signal?: AbortSignal): Promise<Reading<ShadowAgreement>> {
    const queries = agreementQueries(target, stableRevision);
    const keys = Object.keys(queries) as (keyof ShadowAgreement)[];
    const readings = await Promise.all(keys.map((key) => this.client.query(queries[key], "sum", signal, at)));
    const value: Record<keyof ShadowAgreement, number> = { rows: 0, agreeingRows: 0, compared: 0, candidateErrors: 0, dropped: 0 };
    for (const [i, reading] of readings.entries()) {
      if (!reading.ok) return reading;
      value[keys[i]!] = reading.value;
    }
    return { ok: true, value, note: `counted by the stable revision ${stableRevision}'s agents since they started (Prometheus)` };
  }

  private async drift(target: AnalysisTarget, minWindow: number, at: number, signal?: AbortSignal): Promise<Reading<DriftEvidence>> {
    const queries = driftQueries(target);
    const [pValues, psi, windows] = await Promise.all([queries.pValues, queries.psi, queries.windows].map((q) => this.client.series(q, signal, at)));
    for (const reading of [pValues, psi, windows]) if (reading !== undefined && !reading.ok) return reading;
    const built = driftEvidenceFromSeries({ pValues: samples(pValues), psi: samples(psi), windows: samples(windows) }, minWindow);
    if (built === undefined) {
      return unavailable(NO_DATA_REASONS.driftUnavailable, "no agent of the revision reports drift in Prometheus (no baseline, no complete window yet, or not scraped)");
    }
    return { ok: true, value: built.evidence, note: built.note };
  }

  private async custom(template: string, target: AnalysisTarget, at: number, signal?: AbortSignal): Promise<Reading<number>> {
    const rendered = renderQuery(template, target);
    if (!rendered.ok) return unavailable(NO_DATA_REASONS.invalidQuery, rendered.message);
    return this.client.query(rendered.query, "one", signal, at);
  }
}

function samples(reading: Reading<Sample[]> | undefined): Sample[] {
  return reading?.ok === true ? reading.value : [];
}
