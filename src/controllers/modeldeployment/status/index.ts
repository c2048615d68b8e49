// Pure status computation for ModelDeployments: observation in, status and Events out.
export { computeStatus, selectorOf } from "./compute.ts";
export { transitionEvents, MAX_EVENT_MESSAGE } from "./events.ts";
export type { StatusEvent } from "./events.ts";
export { diagnosePods, nextDiagnosisChangeMs, DEFAULT_MODEL_LOAD_TIMEOUT_MS, DEFAULT_EVICTION_WINDOW_MS } from "./diagnose.ts";
export type { PodDiagnosis, DiagnoseOptions } from "./diagnose.ts";
export type { Observation, Problem } from "./observation.ts";
export type { RolloutOutcome } from "./rollout-fields.ts";
export { phaseOf } from "./phase.ts";
export type { PhaseInputs } from "./phase.ts";
export {
  ConditionTypes,
  ReconcilingReasons,
  ReadyReasons,
  StalledReasons,
  AvailableReasons,
  PodFailureReasons,
  EventReasons,
} from "./reasons.ts";
export type { PodFailureReason } from "./reasons.ts";
