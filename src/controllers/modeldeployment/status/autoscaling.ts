// status.autoscaling and the Scaled Event: what the operator's autoscaler (metric concurrency or
// rps) decided for the serving revision, on what load, and when the count last changed.
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import type { EventSpec } from "../../../runtime/events.ts";

type AutoscalingStatus = NonNullable<ModelDeploymentStatus["autoscaling"]>;

/** What the reconcile's autoscaling step decided (rollout/operator-scale.ts). */
export interface AutoscalingOutcome {
  readonly metric: "concurrency" | "rps";
  readonly target: number;
  /** Replicas the serving revision gets. */
  readonly desired: number;
  /** Why the count is not the recommendation's. */
  readonly note?: string;
  /** The Service sends requests to the activator (scaled to zero, or no pod ready yet). */
  readonly routedToActivator?: boolean;
  /** Absent before the autoscaler read any load (the count was kept). */
  readonly recommendation?: { readonly panic: boolean; readonly stableLoad: number; readonly readyPods: number; readonly reason: string };
}

/** status.autoscaling for `outcome`; lastScaleTime moves only when the count changes. */
export function autoscalingStatus(outcome: AutoscalingOutcome, previous: AutoscalingStatus | undefined, now: Date): AutoscalingStatus {
  const r = outcome.recommendation;
  const changed = previous?.desiredReplicas !== outcome.desired;
  const lastScaleTime = changed ? now.toISOString() : previous.lastScaleTime;
  return {
    metric: outcome.metric,
    target: outcome.target,
    desiredReplicas: outcome.desired,
    ...(r === undefined ? {} : { observedLoad: round(r.stableLoad / Math.max(1, r.readyPods)), panic: r.panic }),
    ...(lastScaleTime === undefined ? {} : { lastScaleTime }),
    ...(outcome.routedToActivator === undefined ? {} : { routedToActivator: outcome.routedToActivator }),
    message: [r === undefined ? `no load read from the agents yet; keeping ${outcome.desired} replicas` : r.reason, outcome.note]
      .filter((m) => m !== undefined).join("; "),
  };
}

/** A Scaled Event when the count changed from one the status already had. */
export function scaledEvent(previous: AutoscalingStatus | undefined, next: AutoscalingStatus | undefined): EventSpec | undefined {
  if (previous === undefined || next === undefined || previous.desiredReplicas === next.desiredReplicas) return undefined;
  return {
    type: "Normal",
    reason: "Scaled",
    action: "Scale",
    message: `Scaled the serving revision from ${previous.desiredReplicas} to ${next.desiredReplicas} replicas: ${next.message ?? ""}`,
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
