import type { Cancel, Clock } from "./clock.ts";

/**
 * Keys to hand to a queue later, with at most one pending time per key: scheduling a key that is
 * already pending keeps the earlier of the two times and drops the later one. When a key's time
 * comes, `fire(key)` is called once and the key is no longer pending.
 */
export class DelayedAdds {
  private readonly pending = new Map<string, { readonly at: number; readonly cancel: Cancel }>();
  private readonly clock: Clock;
  private readonly fire: (key: string) => void;

  constructor(clock: Clock, fire: (key: string) => void) {
    this.clock = clock;
    this.fire = fire;
  }

  /** Schedules `key` in `ms`. Returns false when it was already due at that time or earlier. */
  schedule(key: string, ms: number): boolean {
    const at = this.clock.now() + ms;
    const current = this.pending.get(key);
    if (current !== undefined && current.at <= at) return false;
    current?.cancel();
    const cancel = this.clock.setTimeout(() => {
      this.pending.delete(key);
      this.fire(key);
    }, ms);
    this.pending.set(key, { at, cancel });
    return true;
  }

  /** When `key` is due, or undefined when it is not pending. */
  dueAt(key: string): number | undefined {
    return this.pending.get(key)?.at;
  }

  /** Number of keys pending. */
  get size(): number {
    return this.pending.size;
  }

  /** Drops every pending key; none of them fires. */
  cancelAll(): void {
    for (const { cancel } of this.pending.values()) cancel();
    this.pending.clear();
  }
}
