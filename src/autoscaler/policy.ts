// How one ModelDeployment's serving revision is scaled on the agents' load (metric concurrency or
// rps): the spec's knobs, and the constants Knative's KPA also uses.
import { autoscalingTarget, DEFAULT_IDLE_AFTER, parseDuration, type AutoscalingSpec } from "../api/index.ts";

export type LoadMetric = "concurrency" | "rps";

export interface ScalingPolicy {
  readonly metric: LoadMetric;
  /** Per pod: requests in flight (concurrency) or requests per second (rps). */
  readonly target: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The stable window the load is averaged over. */
  readonly windowMs: number;
  /** The short window that can start a panic (fast scale-up). */
  readonly panicWindowMs: number;
  /**
   * With minReplicas 0: how long the revision must see no request before it may go to zero
   * (scaleToZero.idleAfter); undefined when it never scales to zero.
   */
  readonly idleAfterMs?: number;
  /** A lower recommendation must hold this long before it is given. */
  readonly scaleDownDelayMs: number;
  /** Panic starts when the panic window's load needs this many times the ready pods (KPA: 200%). */
  readonly panicThreshold: number;
  /** At most this many times the ready pods in one decision (KPA: 1000). */
  readonly maxScaleUpRate: number;
  /** At least the ready pods divided by this in one decision (KPA: 2, i.e. at most halve). */
  readonly maxScaleDownRate: number;
}

export const PANIC_THRESHOLD = 2;
export const MAX_SCALE_UP_RATE = 1000;
export const MAX_SCALE_DOWN_RATE = 2;

/** The policy of `autoscaling` when the operator scales it (metric concurrency or rps); undefined for cpu (an HPA scales). */
export function scalingPolicyOf(autoscaling: AutoscalingSpec | undefined): ScalingPolicy | undefined {
  if (autoscaling === undefined) return undefined;
  const { metric, target } = autoscalingTarget(autoscaling);
  if (metric === "cpu") return undefined;
  return {
    metric,
    target,
    minReplicas: autoscaling.minReplicas,
    maxReplicas: autoscaling.maxReplicas,
    windowMs: parseDuration(autoscaling.window) ?? 60_000,
    panicWindowMs: parseDuration(autoscaling.panicWindow) ?? 6_000,
    scaleDownDelayMs: parseDuration(autoscaling.scaleDownDelay) ?? 0,
    ...(autoscaling.minReplicas === 0 ? { idleAfterMs: parseDuration(autoscaling.scaleToZero?.idleAfter ?? DEFAULT_IDLE_AFTER) ?? 300_000 } : {}),
    panicThreshold: PANIC_THRESHOLD,
    maxScaleUpRate: MAX_SCALE_UP_RATE,
    maxScaleDownRate: MAX_SCALE_DOWN_RATE,
  };
}
