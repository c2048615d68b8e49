// The requests held per target while it has no ready pod, and the one cold start they share.
// A cold start begins with the first held request (onDemand is called then, once) and ends when
// a backend is ready (every held request is released to it) or when its queue empties because
// each held request timed out or left (the wait is given up; the next request begins a new cold
// start and calls onDemand again).
import { ClientGoneError } from "../agent/errors.ts";
import type { Cancel, Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logging.ts";
import type { BackendDirectory } from "./backends.ts";
import { ActivatorClosedError, ColdStartTimeoutError, QueueFullError } from "./errors.ts";
import type { ActivatorMetrics } from "./metrics.ts";
import { targetKey, type ActivationTarget } from "./target.ts";

export interface HoldsOptions {
  readonly directory: BackendDirectory;
  /** "This target needs a pod now": called once per cold start; a throw or rejection is logged. */
  readonly onDemand: (target: ActivationTarget) => void | Promise<void>;
  readonly maxQueuedPerTarget: number;
  readonly coldStartTimeoutMs: number;
  readonly metrics: ActivatorMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** One request's place in its target's queue. */
export interface Hold {
  /**
   * Resolves with the base URL of the backend that became ready. Rejects with
   * ColdStartTimeoutError coldStartTimeoutMs after the hold began, with ClientGoneError after
   * leave(), with ActivatorClosedError after close(); the request is out of the queue then.
   */
  readonly ready: Promise<string>;
  /** The client left: the request drops out of the queue and is never released to a backend. */
  leave(): void;
}

interface Waiter {
  readonly resolve: (url: string) => void;
  readonly reject: (error: Error) => void;
  cancelTimer: Cancel | undefined;
}

interface ColdStart {
  readonly target: ActivationTarget;
  readonly waiters: Set<Waiter>;
  readonly abort: AbortController;
}

export class Holds {
  private readonly options: HoldsOptions;
  private readonly coldStarts = new Map<string, ColdStart>();

  constructor(options: HoldsOptions) {
    this.options = options;
  }

  /** Queues a request for the target, beginning a cold start if none is pending. Throws QueueFullError. */
  hold(target: ActivationTarget): Hold {
    const key = targetKey(target);
    const coldStart = this.coldStarts.get(key) ?? this.begin(key, target);
    if (coldStart.waiters.size >= this.options.maxQueuedPerTarget) throw new QueueFullError(target, this.options.maxQueuedPerTarget);
    let waiter!: Waiter;
    const ready = new Promise<string>((resolve, reject) => {
      waiter = { resolve, reject, cancelTimer: undefined };
    });
    waiter.cancelTimer = this.options.clock.setTimeout(() => this.drop(coldStart, waiter, new ColdStartTimeoutError(target, this.options.coldStartTimeoutMs)), this.options.coldStartTimeoutMs);
    coldStart.waiters.add(waiter);
    this.options.metrics.setQueueDepth(target, coldStart.waiters.size);
    return { ready, leave: () => this.drop(coldStart, waiter, new ClientGoneError("Client left while its request was held")) };
  }

  /** Requests held for the target now. */
  held(target: ActivationTarget): number {
    return this.coldStarts.get(targetKey(target))?.waiters.size ?? 0;
  }

  /** Gives up every pending cold start; each held request fails with ActivatorClosedError. */
  close(): void {
    for (const coldStart of [...this.coldStarts.values()]) {
      for (const waiter of [...coldStart.waiters]) this.drop(coldStart, waiter, new ActivatorClosedError("Activator closed while the request was held"));
    }
  }

  private begin(key: string, target: ActivationTarget): ColdStart {
    const coldStart: ColdStart = { target, waiters: new Set(), abort: new AbortController() };
    this.coldStarts.set(key, coldStart);
    // Deferred so that a directory throwing at once fails this cold start, not the map it is in.
    Promise.resolve().then(() => this.options.directory.waitForReady(target, coldStart.abort.signal)).then(
      (url) => this.release(coldStart, url),
      (error: unknown) => {
        if (coldStart.abort.signal.aborted) return;
        this.options.logger.error("Failed to wait for a ready pod", { target: key, error: error instanceof Error ? error.message : String(error) });
        for (const waiter of [...coldStart.waiters]) this.drop(coldStart, waiter, new Error("Backend directory failed", { cause: error }));
      },
    );
    Promise.resolve().then(() => this.options.onDemand(target)).catch((error: unknown) => {
      this.options.logger.error("Failed to ask for a pod", { target: key, error: error instanceof Error ? error.message : String(error) });
    });
    return coldStart;
  }

  /** A backend is ready: every held request goes to it, and the cold start is over. */
  private release(coldStart: ColdStart, url: string): void {
    this.end(coldStart);
    for (const waiter of coldStart.waiters) {
      waiter.cancelTimer?.();
      waiter.resolve(url);
    }
    coldStart.waiters.clear();
    this.options.metrics.setQueueDepth(coldStart.target, 0);
  }

  /** One request leaves the queue with `error`; the last one out gives up the cold start. */
  private drop(coldStart: ColdStart, waiter: Waiter, error: Error): void {
    if (!coldStart.waiters.delete(waiter)) return;
    waiter.cancelTimer?.();
    waiter.reject(error);
    this.options.metrics.setQueueDepth(coldStart.target, coldStart.waiters.size);
    if (coldStart.waiters.size > 0) return;
    this.end(coldStart);
    coldStart.abort.abort(error);
  }

  private end(coldStart: ColdStart): void {
    const key = targetKey(coldStart.target);
    if (this.coldStarts.get(key) === coldStart) this.coldStarts.delete(key);
  }
}
