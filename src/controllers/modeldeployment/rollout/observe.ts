// How the rollout's state shows in the status computation (conditions, phase) and in Events.
import type { RolloutEvent } from "../../../rollout/actions.ts";
import type { Convergence } from "../converge.ts";
import type { Observation } from "../status/observation.ts";
import { ReconcilingReasons } from "../status/reasons.ts";
import type { AutoscalingOutcome } from "../status/autoscaling.ts";
import type { ExecutedRollout } from "./execute.ts";
import type { OperatorScaling } from "./operator-scale.ts";

/**
 * What computeStatus must know of the rollout:
 * - the decision itself, when one was made (it owns stable, canary, traffic, history, rollout);
 * - a Canary or BlueGreen rollout in progress is the Reconciling/Ready=False cause, with the
 *   machine's own explanation (a Rolling update keeps the replica-count messages);
 * - a rolled-back revision is Stalled (a person must change the spec or retry) unless another
 *   problem already is;
 * - what the operator's autoscaler decided, when it sized the serving revision.
 */
export function rolloutObservation(executed: ExecutedRollout | undefined, c: Convergence): Pick<Observation, "problem" | "rolloutProgress" | "rollout" | "autoscaling"> {
  if (executed === undefined) return c.problem === undefined ? {} : { problem: c.problem };
  return {
    ...progressObservation(executed, c),
    rollout: { ...executed.decision, router: executed.router },
    ...(executed.scaling === undefined ? {} : { autoscaling: autoscalingOutcome(executed.scaling) }),
  };
}

function autoscalingOutcome(s: OperatorScaling): AutoscalingOutcome {
  const r = s.recommendation;
  return {
    metric: s.policy.metric, target: s.policy.target, desired: s.desired,
    ...(s.note === undefined ? {} : { note: s.note }),
    ...(s.routedToActivator === undefined ? {} : { routedToActivator: s.routedToActivator }),
    ...(r === undefined ? {} : { recommendation: { panic: r.panic, stableLoad: r.stableLoad, readyPods: r.readyPods, reason: r.reason } }),
  };
}

function progressObservation(executed: ExecutedRollout, c: Convergence): Pick<Observation, "problem" | "rolloutProgress"> {
  const { state, policy } = executed.decision;
  if (state.phase === "RolledBack" && c.problem === undefined) {
    const canary = state.canary?.revision ?? "";
    return {
      problem: {
        kind: "Stalled", reason: state.reason,
        message: `revision ${canary} was rolled back (${state.message}); revision ${state.stable.revision} serves all traffic. ` +
          "Change the spec, or set the annotation mdo.dev/retry to a new value to try again",
      },
    };
  }
  const inRollout = state.phase === "Progressing" || state.phase === "Promoting";
  if (!inRollout || policy.strategy === "Rolling") return c.problem === undefined ? {} : { problem: c.problem };
  const where = policy.strategy === "Canary" && state.phase === "Progressing"
    ? `step ${state.step + 1} of ${policy.steps.length} at ${state.weight}%`
    : state.phase === "Promoting" ? "promoting" : "preview";
  return {
    ...(c.problem === undefined ? {} : { problem: c.problem }),
    rolloutProgress: {
      reason: ReconcilingReasons.RollingOut,
      message: `${policy.strategy} rollout of revision ${state.canary?.revision ?? ""}, ${where}: ${state.message} (${state.reason})`,
    },
  };
}

/**
 * The machine's Events for this decision, without those the status transition Events already
 * told (same reason) and without Promoted, which transitionEvents reports when status.stable changes.
 */
export function rolloutEvents(executed: ExecutedRollout | undefined, told: ReadonlySet<string>): RolloutEvent[] {
  if (executed === undefined) return [];
  return executed.decision.events.filter((e) => e.reason !== "Promoted" && !told.has(e.reason));
}
