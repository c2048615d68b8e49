/**
 * How long a failed key waits before it is processed again. Rate limiters hold no timers and do
 * no I/O: they only answer "how long", and time comes from an injected {@link Clock}.
 */
import type { Clock } from "./clock.ts";

export interface RateLimiter {
  /** Records one failure of `key` and returns how many milliseconds to wait before retrying it. */
  when(key: string): number;
  /** Clears `key`'s failure history: its next failure waits the shortest delay again. */
  forget(key: string): void;
  /** Failures of `key` recorded since it was last forgotten. */
  retries(key: string): number;
}

export interface ExponentialBackoffOptions {
  /** Delay after the first failure, in ms (default 5). */
  baseMs?: number;
  /** Longest delay, in ms (default 1,000,000: about 16.7 minutes). */
  maxMs?: number;
}

/**
 * Per-key exponential backoff: the n-th consecutive failure of a key (counting from 0) waits
 * `baseMs · 2ⁿ`, capped at `maxMs`. Keys are independent.
 */
export class ExponentialBackoff implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(options: ExponentialBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 5;
    this.maxMs = options.maxMs ?? 1_000_000;
    if (!(this.baseMs > 0) || !(this.maxMs >= this.baseMs)) {
      throw new RangeError(`Backoff needs 0 < baseMs <= maxMs, got baseMs=${this.baseMs} maxMs=${this.maxMs}`);
    }
  }

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface TokenBucketOptions {
  /** Sustained rate, in tokens per second (default 10). */
  qps?: number;
  /** Tokens available at once; the bucket starts full (default 100). */
  burst?: number;
}

/**
 * One bucket shared by all keys: it limits how often failed keys are retried overall, however
 * many keys fail. Each `when` takes a token; when the bucket is empty it reserves the next token
 * to come, so the returned delays grow by `1000 / qps` ms per call until the bucket refills.
 * Keeps no per-key state: `forget` does nothing and `retries` is always 0.
 */
export class TokenBucket implements RateLimiter {
  private readonly clock: Clock;
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(clock: Clock, options: TokenBucketOptions = {}) {
    this.clock = clock;
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    if (!(this.qps > 0) || !(this.burst >= 1)) {
      throw new RangeError(`Token bucket needs qps > 0 and burst >= 1, got qps=${this.qps} burst=${this.burst}`);
    }
    this.tokens = this.burst;
    this.last = clock.now();
  }

  when(_key: string): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  forget(_key: string): void {}

  retries(_key: string): number {
    return 0;
  }
}

/**
 * Combines limiters: every failure is recorded in all of them and waits the longest delay any of
 * them asks for; `forget` clears all; `retries` is the highest count.
 */
export class MaxOf implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    if (limiters.length === 0) throw new RangeError("MaxOf needs at least one rate limiter");
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  retries(key: string): number {
    return Math.max(...this.limiters.map((l) => l.retries(key)));
  }
}

/**
 * The controller default: per-key backoff from 5 ms to 1000 s, and no more than 10 retries per
 * second overall after a burst of 100 (the same limits as client-go's default controller limiter).
 */
export function defaultRateLimiter(clock: Clock): RateLimiter {
  return new MaxOf(new ExponentialBackoff({ baseMs: 5, maxMs: 1_000_000 }), new TokenBucket(clock, { qps: 10, burst: 100 }));
}
