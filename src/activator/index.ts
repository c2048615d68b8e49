// The activator's public surface (for the composition root that wires it into the cluster, and tests).
export { Activator, ACTIVATOR_DEFAULTS, COLD_START_HEADER, type ActivatorOptions } from "./activator.ts";
export { StaticBackends, type BackendDirectory } from "./backends.ts";
export { ActivatorClosedError, BackendWaitAbortedError, ColdStartTimeoutError, QueueFullError } from "./errors.ts";
export { ActivatorMetrics, OUTCOMES, type Outcome } from "./metrics.ts";
export { DEFAULT_CLUSTER_DOMAIN, parseTarget, targetKey, type ActivationTarget, type TargetOptions } from "./target.ts";
