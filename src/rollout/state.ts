// The rollout state the machine reads and writes: everything needed to continue a rollout after
// a restart, and nothing else (no clocks, no counters in memory). Timestamps are RFC 3339 strings,
// as status stores them, so a JSON round trip gives the same state.
import type { ModelDeploymentStatus } from "../api/status.ts";
import { MAX_HISTORY } from "../api/status.ts";
import type { CommandKind } from "./commands.ts";
import type { HookState } from "./hook-state.ts";

/**
 * - Stable: no rollout; the stable revision serves everything (a previous one may be retiring).
 * - Progressing: the new revision is being rolled out (canary steps, blue-green preview, rolling).
 * - Promoting: the new revision is scaled to full size; traffic switches once it is ready.
 * - RolledBack: the rollout ended without promotion (analysis, deadline or abort); the stable
 *   revision serves everything until `retry` or a new revision.
 */
export type RolloutPhase = "Stable" | "Progressing" | "Promoting" | "RolledBack";

export interface RevisionRef {
  revision: string;
  modelVersion?: string;
}

export type HistoryEntry = NonNullable<ModelDeploymentStatus["history"]>[number];
export type Failure = NonNullable<ModelDeploymentStatus["lastFailure"]>;

export interface AnalysisState {
  /** When the next interval's checks are due; undefined: due now. */
  nextAt?: string;
  /** Failed intervals in this rollout (status.canary.analysis.failedChecks). */
  failedChecks: number;
  /** A conclusive pass since the current step started (noData never sets it). */
  passedThisStep: boolean;
  /** The last interval's measured values by check name, for status.canary.analysis. */
  values: Record<string, number>;
}

export interface RolloutState {
  phase: RolloutPhase;
  stable: RevisionRef;
  /** The revision being rolled out (Progressing, Promoting) or held back (RolledBack). */
  canary?: RevisionRef;
  /**
   * The shadow phase (spec.rollout.shadow, before step 0): the canary answers no user; the stable
   * revision's agents mirror requests to it and compare the answers. Absent: false.
   */
  shadowing?: boolean;
  /** Index of the current canary step; for BlueGreen and Rolling always 0. */
  step: number;
  /** Percent of traffic the canary should receive now. */
  weight: number;
  stepStartedAt?: string;
  /** Since when the rollout waits for something it does not control (readiness, a conclusive
   * analysis); the progress deadline is measured from here. Undefined while not blocked. */
  blockedSince?: string;
  /** A person paused the rollout (pause annotation); cleared by resume or promote. */
  pausedByPerson: boolean;
  analysis: AnalysisState;
  /**
   * The revision the stable one replaced, kept (at zero replicas once retired) as the target of
   * a drift rollback; cleared when that rollback uses it.
   */
  previous?: RevisionRef;
  /** A replaced revision kept running until `at` (BlueGreen scaleDownDelay), then retired. */
  retiring?: { revision: string; at: string };
  /** Last acknowledged annotation value per manual command; a value is acted on once. */
  acknowledged: Partial<Record<CommandKind, string>>;
  /** spec.rollout.webhooks bookkeeping; `{}` when nothing is pending. */
  hooks: HookState;
  /** Why the rollout is where it is now: CamelCase reason and a message for people. */
  reason: string;
  message: string;
  lastFailure?: Failure;
  /** Finished rollouts, oldest first, at most MAX_HISTORY. */
  history: HistoryEntry[];
}

/**
 * The state of a ModelDeployment seen for the first time, serving `stable`. `acknowledged` takes
 * the annotation values present now, so a command left over from earlier is not replayed.
 */
export function initialState(stable: RevisionRef, acknowledged: Partial<Record<CommandKind, string>> = {}): RolloutState {
  return {
    phase: "Stable",
    stable: { ...stable },
    step: 0,
    weight: 0,
    pausedByPerson: false,
    analysis: { failedChecks: 0, passedThisStep: false, values: {} },
    acknowledged: { ...acknowledged },
    hooks: {},
    reason: "Stable",
    message: `revision ${stable.revision} serves all traffic`,
    history: [],
  };
}

/** The history with one more entry, the oldest dropped beyond MAX_HISTORY. */
export function appendHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [...history, entry].slice(-MAX_HISTORY);
}
