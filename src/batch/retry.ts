// Retrying transient failures (of the model server by default; of the object store when the
// caller says which are transient) with exponential backoff; other failures and an aborted run
// are not retried.
import { InferenceError } from "./errors.ts";

export interface RetryPolicy {
  /** Calls at most, the first included. */
  readonly tries: number;
  /** Wait before the second call; doubled before each later one. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { tries: 3, baseDelayMs: 250 };

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal.aborted) {
    reject(signal.reason as Error);
    return;
  }
  const onAbort = (): void => {
    clearTimeout(timer);
    reject(signal.reason as Error);
  };
  const timer = setTimeout(() => {
    signal.removeEventListener("abort", onAbort);
    resolve();
  }, ms);
  signal.addEventListener("abort", onAbort, { once: true });
});

/** Whether an error may succeed when the same call is made again later. */
export function isTransient(error: unknown): boolean {
  return error instanceof InferenceError && error.kind === "transient";
}

/** Calls `call` until it succeeds, throws a non-transient error, or `policy.tries` calls failed (the last error is thrown). */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, wait: Sleep, signal: AbortSignal, transient: (error: unknown) => boolean = isTransient): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted || !transient(error) || attempt >= policy.tries) throw error;
      await wait(policy.baseDelayMs * 2 ** (attempt - 1), signal);
    }
  }
}
