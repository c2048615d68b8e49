// The pending "wait for a ready backend" calls of every target, shared by the backend directories:
// a wait resolves when its target gets a ready backend, or rejects when its signal aborts first.
import { BackendWaitAbortedError } from "./errors.ts";
import { targetKey, type ActivationTarget } from "./target.ts";

interface Waiter {
  readonly resolve: (url: string) => void;
}

export class ReadyWaiters {
  private readonly waiters = new Map<string, Set<Waiter>>();

  /**
   * BackendDirectory.waitForReady over `ready` (the directory's own pick): rejected at once when
   * `signal` already aborted, the ready backend when there is one, else a wait.
   */
  readyOrWait(target: ActivationTarget, signal: AbortSignal, ready: (target: ActivationTarget) => string | undefined): Promise<string> {
    if (signal.aborted) return Promise.reject(new BackendWaitAbortedError(target, signal.reason));
    const url = ready(target);
    return url === undefined ? this.wait(target, signal) : Promise.resolve(url);
  }

  /**
   * A wait for the target's next ready backend. Rejects with BackendWaitAbortedError when
   * `signal` aborts (or already has) before {@link resolve} is called for the target.
   */
  wait(target: ActivationTarget, signal: AbortSignal): Promise<string> {
    if (signal.aborted) return Promise.reject(new BackendWaitAbortedError(target, signal.reason));
    const key = targetKey(target);
    return new Promise<string>((resolve, reject) => {
      const waiting = this.waiters.get(key) ?? new Set<Waiter>();
      this.waiters.set(key, waiting);
      const onAbort = (): void => {
        waiting.delete(waiter);
        if (waiting.size === 0 && this.waiters.get(key) === waiting) this.waiters.delete(key);
        reject(new BackendWaitAbortedError(target, signal.reason));
      };
      const waiter: Waiter = {
        resolve: (ready) => {
          signal.removeEventListener("abort", onAbort);
          resolve(ready);
        },
      };
      waiting.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Resolves every pending wait of the target, each with the URL `pick` gives it (round-robin). */
  resolve(target: ActivationTarget, pick: () => string): void {
    const key = targetKey(target);
    const waiting = this.waiters.get(key);
    if (waiting === undefined) return;
    this.waiters.delete(key);
    for (const waiter of waiting) waiter.resolve(pick());
  }

  /** How many waits are pending for the target. */
  count(target: ActivationTarget): number {
    return this.waiters.get(targetKey(target))?.size ?? 0;
  }
}
