/**
 * Errors the controller runtime raises or interprets. Each carries the underlying failure as
 * `cause`, so a log line or condition message can show the whole chain.
 */

/**
 * Thrown by a reconcile to say "retrying cannot help": an invalid spec, a missing prerequisite
 * only a human can provide. The work queue records it (the `onError` and `onTerminalError` hooks),
 * forgets the key's backoff and does not requeue; the key runs again only when something adds it
 * (a watch event, a resync). Any other thrown value is retried with per-key backoff.
 */
export class TerminalError extends Error {
  override readonly name = "TerminalError";
}

/**
 * Raised for work the runtime stopped because it is shutting down: it is the abort reason of a
 * reconcile's signal when the drain timeout passes, and the error of a queue that is started
 * after it was shut down. Not a failure of the work itself, so never a reason to retry.
 */
export class ShutdownError extends Error {
  override readonly name = "ShutdownError";
}

/** True when `error` is a {@link TerminalError}, or wraps one anywhere in its `cause` chain. */
export function isTerminal(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    if (e instanceof TerminalError) return true;
    seen.add(e);
  }
  return false;
}

/** The message of any thrown value, with the messages of its causes. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = error; e !== undefined && !seen.has(e) && parts.length < 4; e = e instanceof Error ? e.cause : undefined) {
    seen.add(e);
    const text = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e) ?? "";
    if (text !== "" && !parts.some((p) => p.includes(text))) parts.push(text);
  }
  return parts.join(": ");
}
