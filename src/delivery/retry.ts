// Retries with exponential backoff and full jitter for transient delivery failures.
import { DeliveryError } from "./errors.ts";

export interface RetryPolicy {
  /** Attempts in total, including the first. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 15_000 };

/** Sleeps `ms` unless `signal` aborts first (then rejects with the abort reason). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Runs `attempt` until it succeeds, throws a non-retryable error, or the policy's attempts are
 * spent (then the last error is thrown). Only DeliveryErrors with `retryable` are retried;
 * `onRetry` hears each failure that is retried and the delay before the next attempt.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: { policy?: RetryPolicy; sleep?: Sleep; signal: AbortSignal; onRetry?: (error: DeliveryError, delayMs: number) => void; random?: () => number },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof DeliveryError) || !error.retryable || n >= policy.attempts || options.signal.aborted) throw error;
      const delay = Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)));
      options.onRetry?.(error, delay);
      await sleep(delay, options.signal);
    }
  }
}
