// The rollout state machine's state to and from status.rollout (plus status.history and
// status.lastFailure). A round trip gives a deep-equal state, so a restarted operator continues
// exactly where the last one stopped.
import type { ModelDeploymentStatus } from "../../../api/index.ts";
import type { RolloutStateStatus } from "../../../api/rollout-status.ts";
import type { CommandKind } from "../../../rollout/commands.ts";
import { COMMAND_KINDS } from "../../../rollout/commands.ts";
import type { HookState } from "../../../rollout/hook-state.ts";
import type { RevisionRef, RolloutState } from "../../../rollout/state.ts";
import { initialState } from "../../../rollout/state.ts";

/**
 * The persisted state, or — for a ModelDeployment the machine has not seen — a Stable state
 * serving the previously stable revision (status.stable, written by earlier operator versions)
 * or else `desired` (its first revision: nothing to roll out from). A new state acknowledges the
 * command annotations present now, so an old command is not replayed.
 */
export function loadState(status: ModelDeploymentStatus | undefined, desired: RevisionRef, acknowledged: Partial<Record<CommandKind, string>>): RolloutState {
  const saved = status?.rollout;
  if (saved === undefined) {
    const previous = status?.stable;
    const stable = previous === undefined ? desired : ref(previous.revision, previous.modelVersion);
    return initialState(stable, acknowledged);
  }
  const values = Object.fromEntries((status?.canary?.analysis?.checks ?? []).flatMap((c) => (c.value === undefined ? [] : [[c.name, c.value]])));
  return {
    phase: saved.phase,
    stable: ref(saved.stable.revision, saved.stable.modelVersion),
    ...(saved.canary === undefined ? {} : { canary: ref(saved.canary.revision, saved.canary.modelVersion) }),
    ...(saved.previous === undefined ? {} : { previous: ref(saved.previous.revision, saved.previous.modelVersion) }),
    step: saved.step,
    weight: saved.weight,
    ...(saved.stepStartedAt === undefined ? {} : { stepStartedAt: saved.stepStartedAt }),
    ...(saved.blockedSince === undefined ? {} : { blockedSince: saved.blockedSince }),
    pausedByPerson: saved.pausedByPerson,
    analysis: {
      ...(saved.analysis.nextAt === undefined ? {} : { nextAt: saved.analysis.nextAt }),
      failedChecks: saved.analysis.failedChecks,
      passedThisStep: saved.analysis.passedThisStep,
      values,
    },
    ...(saved.retiring === undefined ? {} : { retiring: { ...saved.retiring } }),
    acknowledged: acknowledgedOf(saved.acknowledged),
    hooks: hooksOf(saved.webhooks),
    reason: saved.reason,
    message: saved.message,
    ...(status?.lastFailure === undefined ? {} : { lastFailure: { ...status.lastFailure } }),
    history: [...(status?.history ?? [])],
  };
}

/** status.rollout for `state`; history, lastFailure and the analysis values go to their own fields. */
export function saveState(state: RolloutState, replicaBudget: number | undefined): RolloutStateStatus {
  return {
    phase: state.phase,
    stable: ref(state.stable.revision, state.stable.modelVersion),
    ...(state.canary === undefined ? {} : { canary: ref(state.canary.revision, state.canary.modelVersion) }),
    ...(state.previous === undefined ? {} : { previous: ref(state.previous.revision, state.previous.modelVersion) }),
    step: state.step,
    weight: state.weight,
    ...(state.stepStartedAt === undefined ? {} : { stepStartedAt: state.stepStartedAt }),
    ...(state.blockedSince === undefined ? {} : { blockedSince: state.blockedSince }),
    pausedByPerson: state.pausedByPerson,
    analysis: {
      ...(state.analysis.nextAt === undefined ? {} : { nextAt: state.analysis.nextAt }),
      failedChecks: state.analysis.failedChecks,
      passedThisStep: state.analysis.passedThisStep,
    },
    ...(state.retiring === undefined ? {} : { retiring: { ...state.retiring } }),
    acknowledged: acknowledgedOf(state.acknowledged),
    ...(Object.keys(state.hooks).length === 0 ? {} : { webhooks: hooksOf(state.hooks) }),
    ...(replicaBudget === undefined ? {} : { replicaBudget }),
    reason: state.reason,
    message: state.message,
  };
}

function ref(revision: string, modelVersion: string | undefined): RevisionRef {
  return modelVersion === undefined ? { revision } : { revision, modelVersion };
}

/** A copy with only the fields that are set (status omits absent fields; so does the state). */
function hooksOf(from: RolloutStateStatus["webhooks"] | HookState): HookState {
  if (from === undefined) return {};
  const notify = from.notify;
  return {
    ...(from.preRolloutPending === true ? { preRolloutPending: true } : {}),
    ...(from.confirmAt === undefined ? {} : { confirmAt: from.confirmAt }),
    ...(from.rollbackAt === undefined ? {} : { rollbackAt: from.rollbackAt }),
    ...(notify === undefined ? {} : {
      notify: {
        revision: notify.revision,
        ...(notify.modelVersion === undefined ? {} : { modelVersion: notify.modelVersion }),
        outcome: notify.outcome, time: notify.time, step: notify.step, weight: notify.weight,
      },
    }),
  };
}

function acknowledgedOf(from: Partial<Record<CommandKind, string | undefined>>): Partial<Record<CommandKind, string>> {
  const out: Partial<Record<CommandKind, string>> = {};
  for (const kind of COMMAND_KINDS) {
    const id = from[kind];
    if (id !== undefined) out[kind] = id;
  }
  return out;
}
