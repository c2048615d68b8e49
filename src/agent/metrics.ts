// The agent's Prometheus metrics (names and labels documented in docs/metrics.md). Every series
// carries model, version and revision as registry-wide labels, so they stay constant per process
// and a request can never inflate cardinality.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DriftHook } from "./drift-hook.ts";
import { LoadMeter } from "./load.ts";

/** Latency buckets (seconds) for millisecond-level inference, up to a minute of generation. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Payload size buckets (bytes): 256 B to 16 MiB. */
export const SIZE_BUCKETS = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];

export interface AgentMetricsOptions {
  readonly model: string;
  readonly version: string;
  readonly revision: string;
  /** Node.js process metrics (mdo_agent_process_*, mdo_agent_nodejs_*); default true. */
  readonly processMetrics?: boolean;
  /** The load meter's monotonic clock (ms); performance.now() by default. */
  readonly now?: () => number;
}

export class AgentMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "mdo_agent_requests_total", help: "Requests answered, by route and HTTP code (499: the client left first).",
    labelNames: ["route", "code"], registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "mdo_agent_request_duration_seconds", help: "Time from a request's arrival to the end of its answer, by route.",
    labelNames: ["route"], buckets: LATENCY_BUCKETS, registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "mdo_agent_requests_in_flight", help: "Requests being served now (health probes excluded).", registers: [this.registry],
  });
  /** The same requests as inFlight, with their time integral (GET /load); start()/end() beside inFlight's inc()/dec(). */
  readonly load: LoadMeter;
  // prom-client counters have no set(): collect replaces the value with the meter's integral,
  // synchronously before the scrape reads it, and the integral never decreases.
  readonly concurrencySeconds: Counter = new Counter({
    name: "mdo_agent_concurrency_seconds_total", help: "Time integral of requests in flight: its rate is the average concurrency.",
    registers: [this.registry],
    collect: (): void => {
      this.concurrencySeconds.reset();
      this.concurrencySeconds.inc(this.load.concurrencySeconds());
    },
  });
  readonly upstreamErrors = new Counter({
    name: "mdo_agent_upstream_errors_total", help: "Failed calls to the model server, by kind (connect, timeout, reset, other).",
    labelNames: ["kind"], registers: [this.registry],
  });
  readonly upstreamRetries = new Counter({
    name: "mdo_agent_upstream_retries_total", help: "Calls sent to the model server a second time because its connection broke before any answer.",
    registers: [this.registry],
  });
  readonly rejections = new Counter({
    name: "mdo_agent_rejected_requests_total",
    help: "Requests the agent answered itself, by reason (unauthorized, payload_too_large, overloaded).",
    labelNames: ["reason"], registers: [this.registry],
  });
  readonly requestBytes = new Histogram({
    name: "mdo_agent_request_body_bytes", help: "Request body sizes, by route.",
    labelNames: ["route"], buckets: SIZE_BUCKETS, registers: [this.registry],
  });
  readonly responseBytes = new Histogram({
    name: "mdo_agent_response_body_bytes", help: "Response body sizes sent to clients, by route.",
    labelNames: ["route"], buckets: SIZE_BUCKETS, registers: [this.registry],
  });
  readonly cacheHits = new Counter({
    name: "mdo_agent_cache_hits_total", help: "Cacheable requests answered without their own upstream call, by source (cache, inflight).",
    labelNames: ["source"], registers: [this.registry],
  });
  readonly cacheMisses = new Counter({
    name: "mdo_agent_cache_misses_total", help: "Cacheable requests that called the model server.", registers: [this.registry],
  });
  readonly cacheBypasses = new Counter({
    name: "mdo_agent_cache_bypasses_total", help: "Cacheable requests that asked to bypass the cache.", registers: [this.registry],
  });
  readonly cacheEvictions = new Counter({
    name: "mdo_agent_cache_evictions_total", help: "Entries pushed out by the entry or byte bound.", registers: [this.registry],
  });
  private cacheStats: (() => { entries: number; bytes: number }) | undefined;
  readonly cacheEntries: Gauge = new Gauge({
    name: "mdo_agent_cache_entries", help: "Entries in the prediction cache.", registers: [this.registry],
    collect: (): void => this.cacheEntries.set(this.cacheStats?.().entries ?? 0),
  });
  readonly cacheBytes: Gauge = new Gauge({
    name: "mdo_agent_cache_size_bytes", help: "Bytes charged to entries of the prediction cache.", registers: [this.registry],
    collect: (): void => this.cacheBytes.set(this.cacheStats?.().bytes ?? 0),
  });
  private drift: DriftHook | undefined;
  readonly driftAvailable: Gauge = new Gauge({
    name: "mdo_agent_drift_available", help: "1 while a drift report exists (baseline loaded, a window complete), else 0.",
    registers: [this.registry], collect: (): void => this.collectDrift(),
  });
  readonly driftPsi = new Gauge({
    name: "mdo_agent_drift_psi", help: "Population stability index of one feature over the latest window.",
    labelNames: ["feature"], registers: [this.registry],
  });
  readonly driftPValue = new Gauge({
    name: "mdo_agent_drift_p_value",
    help: "p-value of one feature's χ² homogeneity test of the latest window against the baseline (small: the inputs differ).",
    labelNames: ["feature"], registers: [this.registry],
  });
  readonly driftMaxPsi = new Gauge({
    name: "mdo_agent_drift_max_psi", help: "Largest per-feature PSI over the latest window.", registers: [this.registry],
  });
  readonly driftWindowSamples = new Gauge({
    name: "mdo_agent_drift_window_samples", help: "Samples in the window the drift report was computed from.", registers: [this.registry],
  });

  constructor(options: AgentMetricsOptions) {
    this.load = new LoadMeter(options.now);
    this.registry.setDefaultLabels({ model: options.model, version: options.version, revision: options.revision });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "mdo_agent_" });
  }

  private feedbackStoreSize: (() => number) | undefined;
  // Registered before feedbackDropped: its collect counts the store's drops, read just after.
  readonly feedbackStored: Gauge = new Gauge({
    name: "mdo_agent_feedback_predictions_stored", help: "Requests whose predictions are kept for ground truth (waiting for labels).",
    registers: [this.registry], collect: (): void => this.feedbackStored.set(this.feedbackStoreSize?.() ?? 0),
  });
  readonly feedbackDropped = new Counter({
    name: "mdo_agent_feedback_predictions_dropped_total", help: "Kept predictions dropped before a label came, by reason (evicted: the store was full; expired: older than the TTL).",
    labelNames: ["reason"], registers: [this.registry],
  });
  readonly feedbackUnreadable = new Counter({
    name: "mdo_agent_feedback_unreadable_answers_total", help: "2xx prediction answers kept no predictions for ground truth: not one prediction per row, or over 1 MiB.",
    registers: [this.registry],
  });
  readonly feedbackItems = new Counter({
    name: "mdo_agent_feedback_items_total", help: "Feedback items posted to /mdo/feedback, by result (joined, unknown, mismatch).",
    labelNames: ["result"], registers: [this.registry],
  });
  readonly feedbackRows = new Counter({
    name: "mdo_agent_feedback_rows_total", help: "Labelled predictions scored (one per row of a joined feedback item).", registers: [this.registry],
  });
  readonly feedbackCorrect = new Counter({
    name: "mdo_agent_feedback_correct_total", help: "Labelled predictions that named the label's class (classification): accuracy = correct / rows.", registers: [this.registry],
  });
  readonly feedbackAbsoluteError = new Counter({
    name: "mdo_agent_feedback_absolute_error_total", help: "Sum of |prediction − label| over labelled predictions (regression): MAE = this / rows.", registers: [this.registry],
  });
  readonly feedbackSquaredError = new Counter({
    name: "mdo_agent_feedback_squared_error_total", help: "Sum of (prediction − label)² over labelled predictions (regression): RMSE = √(this / rows).", registers: [this.registry],
  });
  readonly feedbackInvalid = new Counter({
    name: "mdo_agent_feedback_invalid_total", help: "Labelled pairs not scored: a regression prediction or label that is not a number.", registers: [this.registry],
  });

  // Shadow traffic: every series carries `candidate` (the candidate revision mirrored to), so the
  // counts of two candidates never mix and the analysis reads exactly one candidate's.
  readonly shadowRequests = new Counter({
    name: "mdo_agent_shadow_requests_total",
    help: "Requests mirrored to the candidate revision, by candidate and result (compared, incomparable, candidate_error, primary_error, dropped: over maxInFlight).",
    labelNames: ["candidate", "result"], registers: [this.registry],
  });
  readonly shadowRows = new Counter({
    name: "mdo_agent_shadow_rows_total", help: "Rows of compared mirrored requests, by candidate.", labelNames: ["candidate"], registers: [this.registry],
  });
  readonly shadowAgreeingRows = new Counter({
    name: "mdo_agent_shadow_agreeing_rows_total", help: "Of those, rows where the candidate's answer agreed with this revision's: agreement = agreeing / rows.",
    labelNames: ["candidate"], registers: [this.registry],
  });
  readonly shadowDuration = new Histogram({
    name: "mdo_agent_shadow_duration_seconds", help: "Time the candidate revision took to answer a mirrored request, by candidate.",
    labelNames: ["candidate"], buckets: LATENCY_BUCKETS, registers: [this.registry],
  });

  /** Reports the ground-truth store's size at scrape time. */
  observeFeedbackStore(size: () => number): void {
    this.feedbackStoreSize = size;
  }

  /** Reports the cache's size at scrape time. */
  observeCache(stats: () => { entries: number; bytes: number }): void {
    this.cacheStats = stats;
  }

  /** Reports the drift hook's latest report at scrape time. */
  observeDrift(hook: DriftHook): void {
    this.drift = hook;
  }

  private collectDrift(): void {
    const report = this.drift?.enabled === true ? this.drift.report() : undefined;
    this.driftPsi.reset();
    this.driftPValue.reset();
    if (report === undefined) {
      this.driftAvailable.set(0);
      this.driftMaxPsi.set(0);
      this.driftWindowSamples.set(0);
      return;
    }
    let max = 0;
    for (const feature of report.features) {
      // A feature without a value in the window has no PSI: no gauge for it.
      if (feature.psi === null) continue;
      this.driftPsi.set({ feature: feature.name }, feature.psi);
      if (feature.pValue !== null && feature.pValue !== undefined) this.driftPValue.set({ feature: feature.name }, feature.pValue);
      if (feature.psi > max) max = feature.psi;
    }
    this.driftAvailable.set(1);
    this.driftMaxPsi.set(max);
    this.driftWindowSamples.set(report.windowSamples);
  }
}
