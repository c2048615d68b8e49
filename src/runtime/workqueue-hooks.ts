import type { OutcomeKind } from "./reconcile.ts";

/**
 * What a work queue reports as it runs, for metrics and logs. Every hook is optional and is called
 * synchronously; a hook must not throw, and an exception from one is discarded so that it cannot
 * corrupt the queue's bookkeeping. Durations are in seconds, as Prometheus expects.
 */
export interface WorkQueueHooks {
  /** The number of keys waiting for a worker changed to `depth`. */
  onDepth?(depth: number): void;
  /**
   * `key` became pending: queued, or marked to run again after its current run. Adding a key that
   * is already pending is not reported.
   */
  onAdd?(key: string): void;
  /** `key` waited `seconds` between being queued and a worker taking it. */
  onQueueWait?(key: string, seconds: number): void;
  /** A reconcile of `key` ended after `seconds` with `outcome`. */
  onWorkDone?(key: string, seconds: number, outcome: OutcomeKind): void;
  /** `key` failed and will be retried in `delayMs` (its backoff, or the overall rate limit). */
  onRetry?(key: string, delayMs: number): void;
  /**
   * A reconcile of `key` threw, terminally or not. `retries` is how many times the key had
   * already been retried after consecutive failures (0 on a first failure). For logging.
   */
  onError?(key: string, error: unknown, retries: number): void;
  /** A reconcile of `key` threw a TerminalError: recorded, not retried. For metrics and status. */
  onTerminalError?(key: string, error: unknown): void;
}
