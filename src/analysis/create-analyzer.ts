// The Analyzer the reconciler calls: plans the checks of a spec, asks each provider once for
// what its checks need, and decides the verdicts. Also reads a revision's drift for status.drift.
import type { Dispatcher } from "undici";
import type { Clock } from "../runtime/clock.ts";
import type { Verdict } from "../rollout/verdict.ts";
import { AgentProvider } from "./agent/provider.ts";
import type { AgentLocator } from "./agent/locator.ts";
import type { RevisionDrift } from "./agent/revision-drift.ts";
import type { AnalysisRequest, Analyzer } from "./analyzer.ts";
import { planChecks, type ProviderName } from "./checks.ts";
import { decide, type MeasurementsByProvider } from "./decide.ts";
import { PrometheusClient } from "./prometheus/client.ts";
import { PrometheusProvider } from "./prometheus/provider.ts";
import { unavailable, type AgreementRequest, type AnalysisTarget, type DriftRequest, type LabelScores, type MeasureRequest, type Measurements, type MetricsProvider, type Reading } from "./provider.ts";
import { NO_DATA_REASONS, PASS_REASONS } from "./reasons.ts";

export interface AnalyzerOptions {
  /** Base URL of Prometheus (--prometheus-url); without it prometheus checks are noData PrometheusNotConfigured. */
  readonly prometheusUrl?: string;
  /** Finds the agents of a revision (agent provider, readRevisionDrift). */
  readonly locator: AgentLocator;
  /** Per HTTP request to an agent or Prometheus; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Shared connection pool for agents and Prometheus; default undici's global one. */
  readonly dispatcher?: Dispatcher;
  /**
   * The operator's clock: times the agent provider's intervals between scrapes and is the
   * evaluation time of Prometheus queries.
   */
  readonly clock: Pick<Clock, "now">;
}

/** An Analyzer that can also report any revision's drift and ground truth from its agents. */
export interface MetricsAnalyzer extends Analyzer {
  /**
   * The drift of `revision` from its agents' /drift reports: max PSI, window rows, top features.
   * Never throws for unreachable agents or missing reports: that is a reading with a reason.
   */
  readRevisionDrift(namespace: string, name: string, revision: string, signal?: AbortSignal): Promise<Reading<RevisionDrift>>;
  /** The labels joined for `revision` since its pods started, and their scores (ground truth). Never throws. */
  readRevisionQuality(namespace: string, name: string, revision: string, signal?: AbortSignal): Promise<Reading<LabelScores>>;
}

export const DEFAULT_TIMEOUT_MS = 5_000;

/** A provider's MeasureRequest while the checks are collected. */
type Wanted = { traffic: boolean; drift: DriftRequest | undefined; groundTruth: boolean; agreement: AgreementRequest | undefined; metrics: string[] };

export function createAnalyzer(options: AnalyzerOptions): MetricsAnalyzer {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dispatcher = options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher };
  const agent = new AgentProvider({ locator: options.locator, timeoutMs, clock: options.clock, ...dispatcher });
  const prometheus: MetricsProvider = options.prometheusUrl === undefined
    ? notConfigured
    : new PrometheusProvider(new PrometheusClient({ url: options.prometheusUrl, timeoutMs, ...dispatcher }), options.clock);
  const providers: Record<ProviderName, MetricsProvider> = { agent, prometheus };

  return {
    async analyze(request: AnalysisRequest, signal?: AbortSignal): Promise<Verdict[]> {
      const shadowing = request.shadowing === true;
      const checks = planChecks(request.analysis, { shadowing });
      // Every configured check belongs to the other phase (agreement only, or groundTruth only, beside a
      // shadow phase): nothing gates this one, which is a pass, not an interval without data forever.
      if (checks.length === 0) return [noCheckApplies(shadowing)];
      const wanted: Record<ProviderName, Wanted> = {
        agent: { traffic: false, drift: undefined, groundTruth: false, agreement: undefined, metrics: [] },
        prometheus: { traffic: false, drift: undefined, groundTruth: false, agreement: undefined, metrics: [] },
      };
      const builtin = wanted[request.analysis.provider];
      builtin.traffic = request.analysis.minRequests !== undefined || checks.some((c) => c.kind === "successRate" || c.kind === "latencyP99");
      const drift = request.analysis.drift;
      if (drift !== undefined) builtin.drift = { minWindow: drift.minWindow, stableRevision: request.stableRevision };
      builtin.groundTruth = checks.some((c) => c.kind === "groundTruth");
      if (checks.some((c) => c.kind === "agreement")) builtin.agreement = { stableRevision: request.stableRevision };
      for (const c of checks) if (c.kind === "metric" && c.query !== undefined) wanted[c.provider].metrics.push(c.query);
      const target: AnalysisTarget = { namespace: request.namespace, name: request.name, revision: request.revision, intervalMs: request.intervalMs };
      const measured: MeasurementsByProvider = {};
      await Promise.all((Object.keys(wanted) as ProviderName[]).map(async (name) => {
        const w = wanted[name];
        if (!w.traffic && w.drift === undefined && !w.groundTruth && w.agreement === undefined && w.metrics.length === 0) return;
        measured[name] = await providers[name].measure(target, w, signal);
      }));
      // Aborted (shutdown, lost leadership): reject rather than report the abort as missing data.
      signal?.throwIfAborted();
      return decide(request, checks, measured);
    },
    readRevisionDrift: (namespace, name, revision, signal) => agent.revisionDrift(namespace, name, revision, signal),
    readRevisionQuality: (namespace, name, revision, signal) => agent.revisionQuality(namespace, name, revision, signal),
  };
}

/** The verdict of an interval in a phase none of the configured checks applies to. */
function noCheckApplies(shadowing: boolean): Verdict {
  const phase = shadowing ? "in the shadow phase (groundTruth needs user traffic)" : "outside the shadow phase (agreement compares mirrored answers)";
  return { check: "analysis", status: "pass", threshold: {}, reason: PASS_REASONS.noCheckApplies, message: `none of the configured checks applies ${phase}` };
}

/** Stands in for Prometheus when no URL is configured: every reading says so. */
const notConfigured: MetricsProvider = {
  measure(_target: AnalysisTarget, wanted: MeasureRequest): Promise<Measurements> {
    const none = unavailable<never>(NO_DATA_REASONS.prometheusNotConfigured, "the operator has no Prometheus URL (--prometheus-url)");
    return Promise.resolve({
      ...(wanted.traffic ? { traffic: none } : {}),
      ...(wanted.drift === undefined ? {} : { drift: none }),
      ...(wanted.groundTruth ? { groundTruth: none } : {}),
      ...(wanted.agreement === undefined ? {} : { agreement: none }),
      metrics: new Map(wanted.metrics.map((q) => [q, none])),
    });
  },
};
