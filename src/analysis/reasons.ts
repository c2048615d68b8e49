// The CamelCase reasons analysis verdicts carry (Verdict.reason), in one place so status, Events
// and docs/analysis.md agree on them.

/** Reasons of passing verdicts. */
export const PASS_REASONS = {
  successRate: "SuccessRateAtOrAboveMin",
  latencyP99: "LatencyWithinMax",
  /** The PSI rule, for agents that send no bin counts. */
  drift: "DriftWithinMax",
  /** No test of the canary's inputs was significant at the false-alarm rate. */
  driftTest: "NoDriftDetected",
  groundTruth: "QualityWithinThreshold",
  /** The candidate agreed with the stable revision on at least analysis.agreement.min of the compared rows. */
  agreement: "AnswersAgree",
  metric: "MetricWithinBounds",
  /** Every configured check belongs to the other phase of a shadow rollout: nothing to hold this one. */
  noCheckApplies: "NoCheckApplies",
} as const;

/** Reasons of failing verdicts: the value is outside the threshold. */
export const FAIL_REASONS = {
  successRate: "SuccessRateBelowMin",
  latencyP99: "LatencyAboveMax",
  /** The PSI rule, for agents that send no bin counts. */
  drift: "DriftAboveMax",
  /** A test of the canary's inputs was significant at the false-alarm rate (and above the PSI floor). */
  driftTest: "DriftDetected",
  accuracy: "AccuracyBelowMin",
  meanAbsoluteError: "ErrorAboveMax",
  /** The candidate agreed with the stable revision on fewer than analysis.agreement.min of the compared rows. */
  agreement: "AgreementBelowMin",
  metricBelow: "MetricBelowMin",
  metricAbove: "MetricAboveMax",
} as const;

/** Reasons of `noData` verdicts: nothing was measured, so the check neither passes nor fails. */
export const NO_DATA_REASONS = {
  /** The revision served no requests in the interval. */
  noRequests: "NoRequests",
  /** Fewer requests than analysis.minRequests (every check of the interval). */
  tooFewRequests: "TooFewRequests",
  /** The metrics source could not be read (unreachable, HTTP error, unparsable answer, timeout). */
  metricsUnavailable: "MetricsUnavailable",
  /** The query answered, but with no sample or a NaN/infinite value. */
  noSamples: "NoSamples",
  /** The query answered with more than one series where one value was needed. */
  ambiguousResult: "AmbiguousResult",
  /** No ready agent of the revision was found (agent provider). */
  noAgents: "NoAgents",
  /** No agent of the revision has a drift report (no baseline, or no complete window yet). */
  driftUnavailable: "DriftUnavailable",
  /** Fewer labels were joined for the canary in the interval than analysis.groundTruth.minLabels. */
  tooFewLabels: "TooFewLabels",
  /** The stable revision's agents compared fewer rows with the candidate's answers than analysis.agreement.minRows. */
  tooFewComparedRows: "TooFewComparedRows",
  /** The canary's windows have fewer rows than analysis.drift.minWindow: no decision yet. */
  windowTooSmall: "WindowTooSmall",
  /** A prometheus check ran without a Prometheus URL in the operator's configuration. */
  prometheusNotConfigured: "PrometheusNotConfigured",
  /** The custom check's query is not valid (unknown placeholder, bad agent metric selector). */
  invalidQuery: "InvalidQuery",
  /** No agent of the revision exports the metric a custom agent check names. */
  metricNotFound: "MetricNotFound",
} as const;
