/**
 * Kubernetes Events for the status transitions a user should see, derived from the previous and
 * next status alone. Pure: equal statuses give no events, so a steady state records nothing.
 */
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { findCondition, truncateMessage } from "../../../runtime/conditions.ts";
import { ConditionTypes, EventReasons, ReconcilingReasons } from "./reasons.ts";

export interface StatusEvent {
  type: "Normal" | "Warning";
  /** CamelCase, machine-readable. */
  reason: string;
  /** At most {@link MAX_EVENT_MESSAGE} characters. */
  message: string;
}

/** events.k8s.io/v1 caps an Event's note at 1 kB. */
export const MAX_EVENT_MESSAGE = 1024;

/** Ready reasons that mean "work in progress", so losing Ready for them is Normal, not a Warning. */
const PROGRESS_REASONS = new Set<string>([
  ReconcilingReasons.RollingOut,
  ReconcilingReasons.Scaling,
  ReconcilingReasons.RetiringRevision,
  ReconcilingReasons.Suspended,
]);

/**
 * Events, in this order, for:
 * - RollingOut (Normal): Reconciling turned True with reason RollingOut, or a newer generation
 *   started rolling out while one was.
 * - <failure reason> (Warning): lastFailure appeared or its reason changed (a longer back-off
 *   with the same reason is not news).
 * - <Stalled reason> (Warning): Stalled turned True or changed reason, unless the failure event
 *   just told the same reason.
 * - Ready (Normal) when Ready turned True; Recovered (Normal) instead when a failure was recorded.
 * - NotReady when Ready was True and is not: Normal while work is in progress, else Warning.
 * - Promoted (Normal): the stable revision changed.
 */
export function transitionEvents(previous: ModelDeploymentStatus | undefined, next: ModelDeploymentStatus): StatusEvent[] {
  const events: StatusEvent[] = [];
  const explained = new Set<string>();
  const before = (type: string) => findCondition(previous?.conditions, type);
  const after = (type: string) => findCondition(next.conditions, type);

  const reconciling = after(ConditionTypes.Reconciling);
  const wasReconciling = before(ConditionTypes.Reconciling);
  if (reconciling?.status === "True" && reconciling.reason === ReconcilingReasons.RollingOut) {
    const started =
      wasReconciling?.status !== "True" ||
      wasReconciling.reason !== ReconcilingReasons.RollingOut ||
      wasReconciling.observedGeneration !== reconciling.observedGeneration;
    if (started) events.push(event("Normal", EventReasons.RollingOut, reconciling.message));
  }

  const failure = next.lastFailure;
  if (failure !== undefined && failure.reason !== previous?.lastFailure?.reason) {
    events.push(event("Warning", failure.reason, failure.message));
    explained.add(failure.reason);
  }

  const stalled = after(ConditionTypes.Stalled);
  const wasStalled = before(ConditionTypes.Stalled);
  const newlyStalled = wasStalled?.status !== "True" || wasStalled.reason !== stalled?.reason;
  if (stalled?.status === "True" && newlyStalled && !explained.has(stalled.reason)) {
    events.push(event("Warning", stalled.reason, stalled.message));
    explained.add(stalled.reason);
  }

  const ready = after(ConditionTypes.Ready);
  const wasReady = before(ConditionTypes.Ready)?.status === "True";
  if (ready?.status === "True" && !wasReady) {
    const recoveredFrom = previous?.lastFailure?.reason;
    events.push(
      recoveredFrom === undefined
        ? event("Normal", EventReasons.Ready, ready.message)
        : event("Normal", EventReasons.Recovered, `recovered from ${recoveredFrom}: ${ready.message}`),
    );
  } else if (ready !== undefined && ready.status !== "True" && wasReady) {
    const type = PROGRESS_REASONS.has(ready.reason) ? "Normal" : "Warning";
    const message = explained.has(ready.reason)
      ? `Ready is ${ready.status} because of ${ready.reason}`
      : `Ready is ${ready.status} because of ${ready.reason}: ${ready.message}`;
    events.push(event(type, EventReasons.NotReady, message));
  }

  const stable = next.stable;
  if (stable !== undefined && stable.revision !== previous?.stable?.revision) {
    const model = stable.modelVersion === undefined ? "" : ` (model ${stable.modelVersion})`;
    const replaced = previous?.stable === undefined ? "" : `, replacing revision ${previous.stable.revision}`;
    events.push(event("Normal", EventReasons.Promoted, `revision ${stable.revision}${model} is now stable${replaced}`));
  }
  return events;
}

function event(type: StatusEvent["type"], reason: string, message: string): StatusEvent {
  return { type, reason, message: truncateMessage(message, MAX_EVENT_MESSAGE) };
}
