/** Test doubles for work queue tests: a reconcile whose runs the test ends by hand. */
import type { ManualClock } from "../../../src/runtime/clock.ts";
import type { Reconcile, Result } from "../../../src/runtime/reconcile.ts";

export interface Call {
  readonly key: string;
  readonly signal: AbortSignal;
  /** Clock time when the run started. */
  readonly at: number;
  finish(result?: Result): void;
  fail(error: unknown): void;
}

/**
 * A reconcile whose every run stays open until the test calls `finish` or `fail` on it. Records
 * each call and the highest number of runs seen at once, overall and for any single key.
 */
export class HeldReconcile {
  readonly calls: Call[] = [];
  maxRunning = 0;
  maxRunningPerKey = 0;
  private readonly runningPerKey = new Map<string, number>();
  private readonly clock: ManualClock;

  constructor(clock: ManualClock) {
    this.clock = clock;
  }

  readonly reconcile: Reconcile = (key, signal) => {
    this.enter(key);
    return new Promise<Result>((resolve, reject) => {
      this.calls.push({ key, signal, at: this.clock.now(), finish: resolve, fail: reject });
    }).finally(() => this.leave(key));
  };

  /** Keys of the calls so far, in call order. */
  keys(): string[] {
    return this.calls.map((c) => c.key);
  }

  /** The most recent call of `key`; fails the test if there is none. */
  last(key: string): Call {
    const call = this.calls.findLast((c) => c.key === key);
    if (call === undefined) throw new Error(`No call of ${key}`);
    return call;
  }

  private enter(key: string): void {
    const n = (this.runningPerKey.get(key) ?? 0) + 1;
    this.runningPerKey.set(key, n);
    this.maxRunningPerKey = Math.max(this.maxRunningPerKey, n);
    const total = [...this.runningPerKey.values()].reduce((a, b) => a + b, 0);
    this.maxRunning = Math.max(this.maxRunning, total);
  }

  private leave(key: string): void {
    this.runningPerKey.set(key, (this.runningPerKey.get(key) ?? 1) - 1);
  }
}
