/**
 * The contract between the work queue and the code it runs. A reconcile receives only a key
 * ("namespace/name"), never an event: it observes the world and converges it, so running it again
 * is always safe.
 */
import { isTerminal } from "./errors.ts";

/**
 * What a reconcile returns when it did not fail:
 * - nothing: done; the key's backoff is forgotten and it runs again only when something adds it;
 * - `{ requeueAfter: ms }`: done for now, look again in `ms` (0: as soon as a worker is free);
 *   the backoff is forgotten, as on success.
 */
export type Result = undefined | { readonly requeueAfter: number };

/**
 * Converges the object named by `key`. Throwing (or rejecting) means "retry with this key's
 * backoff", except a {@link TerminalError} (or an error caused by one), which is recorded and not
 * retried. `signal` aborts only when the queue shuts down and its drain timeout passes; a
 * reconcile should pass it to the I/O it starts and give up promptly when it fires.
 */
export type Reconcile = (key: string, signal: AbortSignal) => Promise<Result | void>;

/** How one run of a reconcile ended, as the queue acts on it. */
export type Outcome =
  | { readonly kind: "success" }
  | { readonly kind: "requeueAfter"; readonly ms: number }
  | { readonly kind: "retry"; readonly error: unknown }
  | { readonly kind: "terminal"; readonly error: unknown };

export type OutcomeKind = Outcome["kind"];

/**
 * Classifies a returned value. A `requeueAfter` that is negative, NaN or infinite is a bug in the
 * reconcile: it becomes a retry with a RangeError, so it is logged and backed off, never spun on.
 */
export function resultOutcome(result: Result | void): Outcome {
  if (result === undefined) return { kind: "success" };
  const ms = result.requeueAfter;
  if (Number.isFinite(ms) && ms >= 0) return { kind: "requeueAfter", ms };
  return { kind: "retry", error: new RangeError(`Reconcile returned an invalid requeueAfter: ${String(ms)}`) };
}

/** Classifies a thrown value: terminal when it is or wraps a TerminalError, else a retry. */
export function errorOutcome(error: unknown): Outcome {
  return isTerminal(error) ? { kind: "terminal", error } : { kind: "retry", error };
}
