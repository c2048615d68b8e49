// What one call of the state machine's `step` carries through its transitions.
import type { Action, RolloutEvent } from "./actions.ts";
import type { RolloutPolicy } from "./policy.ts";

/** What one call of `step` accumulates besides the next state. */
export interface Context {
  readonly now: number;
  readonly policy: RolloutPolicy;
  /** Whether the canary has, ready, the replicas the *input* state asked for; set false once a
   * transition in this call changes what the canary should be. */
  ready: boolean;
  /** See Observations.canaryFailure. */
  readonly canaryFailure?: { readonly reason: string; readonly message: string };
  readonly actions: Action[];
  readonly events: RolloutEvent[];
  /** Absolute times (ms) at which the machine wants to be called again. */
  readonly timers: number[];
}
