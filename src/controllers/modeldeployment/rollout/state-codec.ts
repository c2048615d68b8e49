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
  const common = commonFields(saved);
  return {
    ...common,
    analysis: { ...common.analysis, values },
    hooks: hooksOf(saved.webhooks),
    ...(status?.lastFailure === undefined ? {} : { lastFailure: { ...status.lastFailure } }),
    history: [...(status?.history ?? [])],
  };
}

/** status.rollout for `state`; history, lastFailure and the analysis values go to their own fields. */
export function saveState(state: RolloutState, replicaBudget: number | undefined): RolloutStateStatus {
  return {
    ...commonFields(state),
    ...(Object.keys(state.hooks).length === 0 ? {} : { webhooks: hooksOf(state.hooks) }),
    ...(replicaBudget === undefined ? {} : { replicaBudget }),
  };
}

interface RefIn { revision: string; modelVersion?: string | undefined }

/** What the state and status.rollout hold alike; optional fields may be present but undefined. */
interface CommonIn {
  phase: RolloutState["phase"];
  stable: RefIn;
  canary?: RefIn | undefined;
  previous?: RefIn | undefined;
  step: number;
  weight: number;
  shadowing?: boolean | undefined;
  stepStartedAt?: string | undefined;
  blockedSince?: string | undefined;
  pausedByPerson: boolean;
  analysis: { nextAt?: string | undefined; failedChecks: number; passedThisStep: boolean };
  retiring?: { revision: string; at: string } | undefined;
  acknowledged: Partial<Record<CommandKind, string | undefined>>;
  reason: string;
  message: string;
}

/** Copies the fields both shapes share, leaving absent ones out (as the API server returns them). */
function commonFields(from: CommonIn) {
  const optionalRef = <K extends "canary" | "previous">(key: K) => {
    const r = from[key];
    return r === undefined ? {} : ({ [key]: ref(r.revision, r.modelVersion) } as { [P in K]: RevisionRef });
  };
  return {
    phase: from.phase,
    stable: ref(from.stable.revision, from.stable.modelVersion),
    ...optionalRef("canary"),
    ...optionalRef("previous"),
    ...(from.shadowing === true ? { shadowing: true } : {}),
    step: from.step,
    weight: from.weight,
    ...(from.stepStartedAt === undefined ? {} : { stepStartedAt: from.stepStartedAt }),
    ...(from.blockedSince === undefined ? {} : { blockedSince: from.blockedSince }),
    pausedByPerson: from.pausedByPerson,
    analysis: {
      ...(from.analysis.nextAt === undefined ? {} : { nextAt: from.analysis.nextAt }),
      failedChecks: from.analysis.failedChecks,
      passedThisStep: from.analysis.passedThisStep,
    },
    ...(from.retiring === undefined ? {} : { retiring: { revision: from.retiring.revision, at: from.retiring.at } }),
    acknowledged: acknowledgedOf(from.acknowledged),
    reason: from.reason,
    message: from.message,
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
