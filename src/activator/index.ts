// The activator's public surface (for embedding programs and tests; `mdo activator` composes it in run.ts).
export { Activator, ACTIVATOR_DEFAULTS, COLD_START_HEADER, type ActivatorOptions } from "./activator.ts";
export { StaticBackends, type BackendDirectory } from "./backends.ts";
export { ActivatorClosedError, BackendWaitAbortedError, ColdStartTimeoutError, QueueFullError } from "./errors.ts";
export { ActivatorMetrics, OUTCOMES, type Outcome } from "./metrics.ts";
export { DEFAULT_CLUSTER_DOMAIN, parseTarget, targetKey, type ActivationTarget, type TargetOptions } from "./target.ts";
export { PodBackends, type PodBackendsOptions } from "./pod-backends.ts";
export { DEFAULT_BACKEND_PORT, MODEL_SERVER_PODS, podForActivator, readyBackendOf, type PodBackend } from "./pods.ts";
export { OperatorDemand, DEMAND_DEFAULTS, type OperatorDemandOptions } from "./demand.ts";
export { ActivationCallError, postActivation, type ActivationAnswer } from "./activation-call.ts";
