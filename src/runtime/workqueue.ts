/**
 * A keyed work queue: N workers run a {@link Reconcile} for keys such as "namespace/name".
 *
 * A key is waiting (queued for a worker, FIFO) or running (on a worker), never both. Adding a
 * waiting key does nothing; adding a running key marks it dirty, and a dirty key is queued again
 * once its run ends, so a key never runs on two workers at once and a change seen during a run
 * is never lost. Independently, a key may have one pending delayed add ({@link DelayedAdds}).
 *
 * Waiting keys have a priority. "low" is for keys the process has never seen before (a new object,
 * the initial list after a restart): work on objects already in flight goes first, so one
 * ModelDeployment among 1000 new ones becomes Ready soon after its first reconcile instead of after
 * everyone's. Low keys still get at least one pick in {@link LOW_PRIORITY_SHARE} while normal ones
 * wait, so they are never starved. Adding a waiting low key with normal priority promotes it.
 */
import { type Clock, realClock } from "./clock.ts";
import { DelayedAdds } from "./delayed-adds.ts";
import { ShutdownError } from "./errors.ts";
import { defaultRateLimiter, type RateLimiter } from "./rate-limiters.ts";
import { errorOutcome, type Outcome, type Reconcile, resultOutcome } from "./reconcile.ts";
import type { WorkQueueHooks } from "./workqueue-hooks.ts";

/** While both kinds wait, one pick in this many goes to a low-priority key. */
export const LOW_PRIORITY_SHARE = 4;

export type Priority = "normal" | "low";

export interface WorkQueueOptions {
  reconcile: Reconcile;
  /** Keys processed at once, each on its own worker (default 4). */
  workers?: number;
  clock?: Clock;
  /** Delays retries of failed keys (default: {@link defaultRateLimiter}). */
  rateLimiter?: RateLimiter;
  hooks?: WorkQueueHooks;
}

export interface ShutdownOptions {
  /** Let running reconciles finish (default true); false aborts their signals at once. */
  drain?: boolean;
  /** How long to drain before aborting the reconciles still running (default: no limit). */
  timeoutMs?: number;
}

export interface ShutdownReport {
  /** Keys whose reconcile was still running when draining stopped; their signals were aborted. */
  readonly aborted: readonly string[];
}

export interface UnfinishedWork {
  /** Sum of how long every running reconcile has been running. */
  readonly unfinishedWorkSeconds: number;
  /** How long the longest-running reconcile has been running (0 when none is). */
  readonly longestRunningProcessorSeconds: number;
}

interface Run {
  readonly startedAt: number;
  readonly controller: AbortController;
}

export class WorkQueue {
  private readonly reconcile: Reconcile;
  private readonly workers: number;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly hooks: WorkQueueHooks;
  /** Key → when it was queued; a Map iterates in insertion order, which makes each a FIFO. */
  private readonly waiting = new Map<string, number>();
  private readonly waitingLow = new Map<string, number>();
  /** Normal-priority picks since the last low-priority one. */
  private normalPicks = 0;
  private readonly running = new Map<string, Run>();
  private readonly dirty = new Set<string>();
  private readonly delayed: DelayedAdds;
  private started = false;
  private stopping: Promise<ShutdownReport> | undefined;
  private onIdle: (() => void) | undefined;

  constructor(options: WorkQueueOptions) {
    this.reconcile = options.reconcile;
    this.workers = options.workers ?? 4;
    if (!Number.isInteger(this.workers) || this.workers < 1) {
      throw new RangeError(`A work queue needs at least one worker, got ${this.workers}`);
    }
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? defaultRateLimiter(this.clock);
    this.hooks = options.hooks ?? {};
    this.delayed = new DelayedAdds(this.clock, (key) => this.add(key));
  }

  /**
   * Starts the workers; keys added before are processed from now on. Calling it again does
   * nothing. Throws ShutdownError once the queue has been shut down: a queue never restarts.
   */
  start(): void {
    if (this.stopping !== undefined) throw new ShutdownError("The work queue was shut down; create a new one");
    if (this.started) return;
    this.started = true;
    this.dispatch();
  }

  /**
   * Queues `key` unless it is already waiting (a waiting low key asked for with normal priority
   * moves up). Returns false (and drops it) after shutdown.
   */
  add(key: string, priority: Priority = "normal"): boolean {
    if (this.stopping !== undefined) return false;
    if (this.waiting.has(key) || this.dirty.has(key)) return true;
    const low = this.waitingLow.get(key);
    if (low !== undefined) {
      if (priority === "normal") {
        this.waitingLow.delete(key);
        this.waiting.set(key, low);
      }
      return true;
    }
    this.emit((h) => h.onAdd?.(key));
    if (this.running.has(key)) this.dirty.add(key);
    else this.enqueue(key, priority);
    return true;
  }

  /**
   * Adds `key` in `ms` (at once when `ms` ≤ 0). A key has at most one pending delayed add: the
   * earliest wins. A delayed add is not cancelled by an earlier add or run of the same key.
   * Returns false (and drops it) after shutdown.
   */
  addAfter(key: string, ms: number): boolean {
    if (this.stopping !== undefined) return false;
    if (!(ms > 0)) return this.add(key);
    this.delayed.schedule(key, ms);
    return true;
  }

  /** Counts a failure of `key` and adds it after the delay the rate limiter asks for. */
  addRateLimited(key: string): boolean {
    if (this.stopping !== undefined) return false;
    const delayMs = this.rateLimiter.when(key);
    this.emit((h) => h.onRetry?.(key, delayMs));
    return this.addAfter(key, delayMs);
  }

  /** Keys waiting for a worker. */
  get depth(): number {
    return this.waiting.size + this.waitingLow.size;
  }

  /** Keys being reconciled right now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** How long the running reconciles have been running; poll it from a metrics collector. */
  unfinishedWork(): UnfinishedWork {
    const now = this.clock.now();
    let total = 0;
    let longest = 0;
    for (const run of this.running.values()) {
      const ms = now - run.startedAt;
      total += ms;
      longest = Math.max(longest, ms);
    }
    return { unfinishedWorkSeconds: total / 1000, longestRunningProcessorSeconds: longest / 1000 };
  }

  /**
   * Stops taking work: later adds are dropped, waiting and delayed keys are discarded, no run
   * starts. Resolves when the running reconciles have ended or, if `timeoutMs` passes first (or
   * `drain` is false), right after their signals are aborted with a ShutdownError; a reconcile
   * that ignores its signal is left to end on its own and its outcome is discarded. Never
   * rejects. Later calls return the first call's promise.
   */
  shutdown(options: ShutdownOptions = {}): Promise<ShutdownReport> {
    this.stopping ??= this.stop(options.drain === false ? 0 : options.timeoutMs);
    return this.stopping;
  }

  private async stop(timeoutMs: number | undefined): Promise<ShutdownReport> {
    this.delayed.cancelAll();
    this.dirty.clear();
    if (this.depth > 0) {
      this.waiting.clear();
      this.waitingLow.clear();
      this.emit((h) => h.onDepth?.(0));
    }
    if (this.running.size > 0 && timeoutMs !== 0) {
      let cancelTimeout = (): void => {};
      await new Promise<void>((resolve) => {
        this.onIdle = resolve;
        if (timeoutMs !== undefined) cancelTimeout = this.clock.setTimeout(resolve, timeoutMs);
      });
      cancelTimeout();
      this.onIdle = undefined;
    }
    const aborted = [...this.running.keys()];
    const reason = new ShutdownError("The work queue shut down before this reconcile finished");
    for (const run of this.running.values()) run.controller.abort(reason);
    return { aborted };
  }

  /** Starts waiting keys while workers are free. */
  private dispatch(): void {
    while (this.started && this.stopping === undefined && this.running.size < this.workers) {
      const lane = this.nextLane();
      if (lane === undefined) return;
      const [key, queuedAt] = lane.entries().next().value!;
      lane.delete(key);
      this.emit((h) => h.onDepth?.(this.depth));
      void this.process(key, queuedAt);
    }
  }

  /** The lane the next key comes from: normal first, low when its share is due or normal is empty. */
  private nextLane(): Map<string, number> | undefined {
    const lowDue = this.waitingLow.size > 0 && (this.waiting.size === 0 || this.normalPicks >= LOW_PRIORITY_SHARE - 1);
    if (lowDue) {
      this.normalPicks = 0;
      return this.waitingLow;
    }
    if (this.waiting.size === 0) return undefined;
    if (this.waitingLow.size > 0) this.normalPicks++;
    return this.waiting;
  }

  /** Runs one reconcile of `key`. Never rejects: every failure becomes an {@link Outcome}. */
  private async process(key: string, queuedAt: number): Promise<void> {
    const run: Run = { startedAt: this.clock.now(), controller: new AbortController() };
    this.running.set(key, run);
    this.emit((h) => h.onQueueWait?.(key, (run.startedAt - queuedAt) / 1000));
    let outcome: Outcome;
    try {
      outcome = resultOutcome(await this.reconcile(key, run.controller.signal));
    } catch (error) {
      outcome = errorOutcome(error);
    }
    this.running.delete(key);
    this.emit((h) => h.onWorkDone?.(key, (this.clock.now() - run.startedAt) / 1000, outcome.kind));
    this.act(key, outcome);
    if (this.dirty.delete(key)) this.enqueue(key);
    if (this.running.size === 0) this.onIdle?.();
    this.dispatch();
  }

  /** Applies the outcome of a run: forget the backoff, look again later, or retry. */
  private act(key: string, outcome: Outcome): void {
    switch (outcome.kind) {
      case "success":
        this.rateLimiter.forget(key);
        return;
      case "requeueAfter":
        this.rateLimiter.forget(key);
        this.addAfter(key, outcome.ms);
        return;
      case "terminal": {
        const retries = this.rateLimiter.retries(key);
        this.rateLimiter.forget(key);
        this.emit((h) => h.onError?.(key, outcome.error, retries));
        this.emit((h) => h.onTerminalError?.(key, outcome.error));
        return;
      }
      case "retry": {
        const retries = this.rateLimiter.retries(key);
        this.emit((h) => h.onError?.(key, outcome.error, retries));
        this.addRateLimited(key);
        return;
      }
    }
  }

  private enqueue(key: string, priority: Priority = "normal"): void {
    (priority === "low" ? this.waitingLow : this.waiting).set(key, this.clock.now());
    this.emit((h) => h.onDepth?.(this.depth));
    this.dispatch();
  }

  /** Calls a hook, discarding its exception (see {@link WorkQueueHooks}). */
  private emit(call: (hooks: WorkQueueHooks) => void): void {
    try {
      call(this.hooks);
    } catch {
      // A metrics or logging hook must not break scheduling.
    }
  }
}
