// Read-your-writes for children this process creates or updates. Right after a reconcile applied
// a child, its cache does not show it yet (the watch event is on its way): a status built from the
// cache alone would say "waiting for the Deployment to be created" and be written, only to be
// replaced a moment later. The apply's answer is the server's own copy; this keeps it until the
// cache has caught up, as written-objects.ts does for the primary object's status.
import type { KubeObject } from "./client/kube-client.ts";
import type { Clock } from "./clock.ts";
import { objectKey, stripManagedFields } from "./informer.ts";
import { isOlderCopy } from "./resource-version.ts";

/** A copy the cache has not shown for this long is dropped (the object was deleted meanwhile, say). */
const DEFAULT_TTL_MS = 60_000;
/** Expired copies are swept when more than this many are held. */
const SWEEP_ABOVE = 256;

interface Applied<T> {
  readonly object: T;
  readonly atMs: number;
}

export class AppliedObjects<T extends KubeObject> {
  private readonly applied = new Map<string, Applied<T>>();
  private readonly clock: Pick<Clock, "now">;
  private readonly ttlMs: number;

  constructor(clock: Pick<Clock, "now">, ttlMs = DEFAULT_TTL_MS) {
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  /** Remembers `object` as the API server returned it from a create or update (managedFields dropped, like the cache). */
  remember(object: T): void {
    const now = this.clock.now();
    if (this.applied.size > SWEEP_ABOVE) {
      for (const [key, entry] of this.applied) if (now - entry.atMs > this.ttlMs) this.applied.delete(key);
    }
    this.applied.set(objectKey(object), { object: stripManagedFields(object), atMs: now });
  }

  /** Forgets the copy of `key` (the object was deleted by this process). */
  forget(key: string): void {
    this.applied.delete(key);
  }

  /**
   * The cached objects that `select` keeps, each replaced by the copy applied since if that is
   * newer, plus the applied copies `select` keeps that the cache does not hold yet (younger than
   * the TTL). Copies the cache has caught up with are forgotten. resourceVersions compare as
   * integers; when either is not one, the cache's copy wins.
   */
  overlay(cached: readonly T[], select: (object: T) => boolean): T[] {
    const result: T[] = [];
    const seen = new Set<string>();
    for (const object of cached) {
      if (!select(object)) continue;
      const key = objectKey(object);
      seen.add(key);
      const applied = this.applied.get(key);
      if (applied !== undefined && isOlderCopy(object, applied.object)) {
        result.push(applied.object);
        continue;
      }
      if (applied !== undefined) this.applied.delete(key);
      result.push(object);
    }
    const now = this.clock.now();
    for (const [key, applied] of this.applied) {
      if (seen.has(key) || !select(applied.object)) continue;
      if (now - applied.atMs > this.ttlMs) this.applied.delete(key);
      else result.push(applied.object);
    }
    return result;
  }

  get size(): number {
    return this.applied.size;
  }
}
