// Coalescing identical concurrent work: one call per key at a time, shared by every caller.

export class SingleFlight<T> {
  private readonly calls = new Map<string, Promise<T>>();

  /**
   * Runs `work` unless a call for `key` is already running, in which case the caller gets that
   * call's promise (`shared: true`) — its result or its error. The key is free again once the
   * call settles, so a failure is never remembered.
   */
  run(key: string, work: () => Promise<T>): { promise: Promise<T>; shared: boolean } {
    const running = this.calls.get(key);
    if (running !== undefined) return { promise: running, shared: true };
    let started: Promise<T>;
    try {
      started = work();
    } catch (error) {
      started = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const promise = started.finally(() => this.calls.delete(key));
    this.calls.set(key, promise);
    return { promise, shared: false };
  }

  /** Calls running now. */
  get size(): number {
    return this.calls.size;
  }
}
