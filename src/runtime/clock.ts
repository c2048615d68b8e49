/**
 * Time as the runtime sees it. Everything that waits or measures takes a `Clock`, so tests drive
 * time with {@link ManualClock} instead of sleeping.
 */

/** Cancels a scheduled timer. Calling it after the timer fired, or twice, does nothing. */
export type Cancel = () => void;

export interface Clock {
  /**
   * Milliseconds since the Unix epoch, read from a monotonic source anchored to the wall clock
   * when the process started: it never goes backwards and ignores later wall-clock steps, so
   * intervals measured with it are reliable; as a timestamp it is off by any step since start.
   */
  now(): number;
  /**
   * Calls `fn` once, `ms` milliseconds from now (a negative or NaN delay means "as soon as
   * possible"). Delays longer than a platform timer allows are honoured, not truncated.
   */
  setTimeout(fn: () => void, ms: number): Cancel;
  /**
   * Resolves after `ms` milliseconds. Rejects with the signal's reason (wrapped as the `cause` of
   * an Error if it is not one) if the signal is already aborted or aborts first; the timer is
   * then cancelled.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Node's timers cannot wait longer than this; longer delays are split into several waits. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A `sleep` built on any clock's `setTimeout`. */
export function sleepOn(clock: Pick<Clock, "setTimeout">, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      cancel();
      if (signal !== undefined) reject(abortReason(signal));
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error("The operation was aborted", { cause: reason });
}

function realSetTimeout(fn: () => void, ms: number): Cancel {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (remaining: number): void => {
    const step = Math.min(Math.max(remaining, 0) || 0, MAX_TIMER_MS);
    handle = setTimeout(() => {
      if (cancelled) return;
      if (remaining > step) arm(remaining - step);
      else fn();
    }, step);
  };
  arm(ms);
  return () => {
    cancelled = true;
    clearTimeout(handle);
  };
}

/** The process's clock: monotonic `now()`, Node timers. */
export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: realSetTimeout,
  sleep: (ms, signal) => sleepOn(realClock, ms, signal),
};

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to. Timers fire during {@link advance} or {@link runFor}, in
 * order of due time, ties in the order they were scheduled; a timer scheduled while advancing
 * fires in the same call if it falls due within it. `now()` during a callback is the timer's due
 * time. An exception from a timer callback propagates out of `advance`.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Cancel {
    const timer: ManualTimer = { at: this.current + (Math.max(ms, 0) || 0), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Number of timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Due time of the earliest pending timer, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Moves time forward by `ms` synchronously, firing every timer that falls due. */
  advance(ms: number): void {
    const until = this.current + (Math.max(ms, 0) || 0);
    for (let next = this.earliest(); next !== undefined && next.at <= until; next = this.earliest()) {
      this.fire(next);
    }
    this.current = until;
  }

  /**
   * Like {@link advance}, but lets pending promise callbacks run before and after each timer, so
   * work that a timer starts (and the timers that work schedules) completes within the same call.
   * Use this when the code under test is async.
   */
  async runFor(ms: number): Promise<void> {
    const until = this.current + (Math.max(ms, 0) || 0);
    await settle();
    for (let next = this.earliest(); next !== undefined && next.at <= until; next = this.earliest()) {
      this.fire(next);
      await settle();
    }
    this.current = until;
  }

  private fire(timer: ManualTimer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.current = Math.max(this.current, timer.at);
    timer.fn();
  }

  private earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** Resolves once every promise callback queued so far (and those they queue) has run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
