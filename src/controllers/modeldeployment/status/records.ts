/**
 * The status fields that remember across reconciles: the stable revision, the bounded rollout
 * history and the last failure. Each takes the previous status and returns the new field, equal
 * to the previous one when nothing changed, so a steady state writes nothing.
 */
import { MAX_HISTORY } from "../../../api/index.ts";
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import { formatTime, truncateMessage } from "../../../runtime/conditions.ts";
import type { Observation } from "./observation.ts";
import type { RolloutAssessment } from "./revisions.ts";
import type { Cause } from "./verdict.ts";

export type StableStatus = NonNullable<ModelDeploymentStatus["stable"]>;
export type HistoryEntry = NonNullable<ModelDeploymentStatus["history"]>[number];
export type LastFailure = NonNullable<ModelDeploymentStatus["lastFailure"]>;

/**
 * The current revision once Ready; before that the previous stable revision, with its ready
 * replicas as observed now (0 when its Deployment is gone). Undefined until a revision was Ready.
 */
export function stableOf(
  obs: Pick<Observation, "revision" | "modelVersion">,
  rollout: RolloutAssessment,
  ready: boolean,
  previous: StableStatus | undefined,
): StableStatus | undefined {
  if (ready) return { revision: obs.revision, modelVersion: obs.modelVersion, readyReplicas: rollout.current?.ready ?? 0 };
  if (previous === undefined) return undefined;
  const running = [rollout.current, ...rollout.older].find((r) => r?.revision === previous.revision);
  return { ...previous, readyReplicas: running?.ready ?? 0 };
}

/**
 * The history with a Promoted entry appended when `stable` names a different revision than the
 * previous stable one; the oldest entries go beyond {@link MAX_HISTORY}.
 */
export function historyOf(
  previous: ModelDeploymentStatus | undefined,
  stable: StableStatus | undefined,
  now: Date,
): HistoryEntry[] | undefined {
  if (stable === undefined || stable.revision === previous?.stable?.revision) return previous?.history;
  const entry: HistoryEntry = {
    revision: stable.revision,
    ...(stable.modelVersion === undefined ? {} : { modelVersion: stable.modelVersion }),
    outcome: "Promoted",
    time: formatTime(now),
  };
  return [...(previous?.history ?? []), entry].slice(-MAX_HISTORY);
}

/**
 * The failure to record: cleared only when Ready; kept while nothing fails; when the same reason
 * fails again its first time is kept (the message may update, such as a longer back-off), and a
 * different reason is stamped with `now`.
 */
export function lastFailureOf(
  previous: LastFailure | undefined,
  failure: Cause | undefined,
  ready: boolean,
  now: Date,
): LastFailure | undefined {
  if (ready) return undefined;
  if (failure === undefined) return previous;
  const message = truncateMessage(failure.message);
  if (previous?.reason === failure.reason) {
    return previous.message === message ? previous : { reason: failure.reason, message, time: previous.time };
  }
  return { reason: failure.reason, message, time: formatTime(now) };
}
