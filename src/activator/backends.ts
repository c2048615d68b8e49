// Where the ready pods of a target are. The activator asks; a pod informer answers in the
// cluster, StaticBackends in tests and local runs.
import { ReadyWaiters } from "./ready-waiters.ts";
import { targetKey, type ActivationTarget } from "./target.ts";

export interface BackendDirectory {
  /**
   * The base URL (`http://10.1.2.3:8080`) of one ready backend of the target, or undefined when
   * none is ready. Spreads calls over several ready backends (round-robin).
   */
  ready(target: ActivationTarget): string | undefined;
  /**
   * Resolves with a ready backend's base URL as soon as one is ready (at once if one is already).
   * Rejects with BackendWaitAbortedError when `signal` aborts first; never rejects otherwise.
   */
  waitForReady(target: ActivationTarget, signal: AbortSignal): Promise<string>;
}

/** An in-memory directory whose backends are set by hand. */
export class StaticBackends implements BackendDirectory {
  private readonly backends = new Map<string, { readonly urls: readonly string[]; next: number }>();
  private readonly waiters = new ReadyWaiters();

  /** Replaces the target's ready backends; waiters resolve at once when `urls` is not empty. */
  set(target: ActivationTarget, urls: readonly string[]): void {
    const key = targetKey(target);
    if (urls.length === 0) {
      this.backends.delete(key);
      return;
    }
    this.backends.set(key, { urls: [...urls], next: 0 });
    this.waiters.resolve(target, () => this.pick(key) ?? urls[0] ?? "");
  }

  ready(target: ActivationTarget): string | undefined {
    return this.pick(targetKey(target));
  }

  waitForReady(target: ActivationTarget, signal: AbortSignal): Promise<string> {
    return this.waiters.readyOrWait(target, signal, (t) => this.ready(t));
  }

  /** How many waits are pending for the target (tests). */
  waiting(target: ActivationTarget): number {
    return this.waiters.count(target);
  }

  private pick(key: string): string | undefined {
    const entry = this.backends.get(key);
    if (entry === undefined) return undefined;
    const url = entry.urls[entry.next % entry.urls.length];
    entry.next = (entry.next + 1) % entry.urls.length;
    return url;
  }
}
