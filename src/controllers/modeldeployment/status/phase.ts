/**
 * status.phase, a one-word summary for people, derived from the conditions. First match wins:
 *  1. Suspended   spec.suspend is true.
 *  2. Failed      Stalled and nothing serves.  Degraded: Stalled while something serves.
 *  3. Ready       Ready is True.
 *  4. Degraded    something serves but some pod is failing.
 *     Progressing something serves and work is in progress (a roll, scaling, a retry).
 *  5. Pending     nothing serves yet (or any more) and nothing is known to be broken for good.
 */
import type { Phase } from "../../../api/index.ts";

export interface PhaseInputs {
  suspended: boolean;
  ready: boolean;
  stalled: boolean;
  /** At least one replica serves (Available is True). */
  available: boolean;
  /** Some pod is failing (a pod diagnosis exists). */
  podsFailing: boolean;
}

export function phaseOf(p: PhaseInputs): Phase {
  if (p.suspended) return "Suspended";
  if (p.stalled) return p.available ? "Degraded" : "Failed";
  if (p.ready) return "Ready";
  if (p.available) return p.podsFailing ? "Degraded" : "Progressing";
  return "Pending";
}
