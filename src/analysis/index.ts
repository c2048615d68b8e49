// The analysis package: the Analyzer of canary revisions and its metrics providers.
export type { AnalysisRequest, Analyzer } from "./analyzer.ts";
export { createAnalyzer, DEFAULT_TIMEOUT_MS, type AnalyzerOptions, type MetricsAnalyzer } from "./create-analyzer.ts";
export type { AgentEndpoint, AgentLocator } from "./agent/locator.ts";
export { EndpointSliceLocator, podAddress, podLabelsFromApi, type EndpointSliceLocatorOptions, type PodEndpoint } from "./agent/endpoint-slice-locator.ts";
export type { RevisionDrift } from "./agent/revision-drift.ts";
export { planChecks, type Check, type CheckKind, type PlanOptions } from "./checks.ts";
export type { LabelScores, Reading, ShadowAgreement } from "./provider.ts";
export { FAIL_REASONS, NO_DATA_REASONS, PASS_REASONS } from "./reasons.ts";
export { AGENT_LABELS, TARGET_LABELS } from "./prometheus/labels.ts";
