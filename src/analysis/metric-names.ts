// The agent metrics the analysis reads (defined in src/agent/metrics.ts, documented in
// docs/metrics.md). A unit test checks each against the agent's registry.

export const AGENT_METRICS = {
  /** Counter, labels route and code. */
  requests: "mdo_agent_requests_total",
  /** Histogram family (seconds), label route; its buckets are `${latency}_bucket`. */
  latency: "mdo_agent_request_duration_seconds",
  /** Gauge: 1 while a drift report exists. */
  driftAvailable: "mdo_agent_drift_available",
  /** Gauge: largest per-feature PSI of the latest window (0 while unavailable). */
  driftMaxPsi: "mdo_agent_drift_max_psi",
  /** Gauge, label feature: PSI of the latest window. */
  driftPsi: "mdo_agent_drift_psi",
  /** Gauge, label feature: p-value of the latest window's homogeneity test against the baseline. */
  driftPValue: "mdo_agent_drift_p_value",
  /** Gauge: rows in the latest window. */
  driftWindowSamples: "mdo_agent_drift_window_samples",
  /** Counter: labelled predictions scored (ground truth). */
  feedbackRows: "mdo_agent_feedback_rows_total",
  /** Counter: of those, correct (classification). */
  feedbackCorrect: "mdo_agent_feedback_correct_total",
  /** Counter: sum of absolute errors (regression). */
  feedbackAbsoluteError: "mdo_agent_feedback_absolute_error_total",
  /** Counter: sum of squared errors (regression). */
  feedbackSquaredError: "mdo_agent_feedback_squared_error_total",
  /** Counter, labels candidate and result (SHADOW_RESULTS): requests the stable revision mirrored to a candidate. */
  shadowRequests: "mdo_agent_shadow_requests_total",
  /** Counter, label candidate: rows of compared mirrored requests. */
  shadowRows: "mdo_agent_shadow_rows_total",
  /** Counter, label candidate: of those, rows on which the candidate's answer agreed. */
  shadowAgreeingRows: "mdo_agent_shadow_agreeing_rows_total",
  /** Gauge (process metrics): when the agent process started, seconds since the epoch. */
  processStart: "mdo_agent_process_start_time_seconds",
} as const;

/** The latency histogram's bucket series. */
export const LATENCY_BUCKET = `${AGENT_METRICS.latency}_bucket`;

/** The label of the shadow series naming the candidate revision mirrored to. */
export const SHADOW_CANDIDATE_LABEL = "candidate";

/** Values of mdo_agent_shadow_requests_total's `result` label the analysis reads (src/agent/shadow.ts). */
export const SHADOW_RESULTS = { compared: "compared", candidateError: "candidate_error", dropped: "dropped" } as const;
