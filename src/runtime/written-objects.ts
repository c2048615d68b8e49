// Read-your-writes over an informer cache. After this process wrote an object, its cache can
// still hold an older copy for a while (the watch event is on its way); a reconcile deciding on
// that copy would undo its own last step. This keeps each key's last written copy until the
// cache has caught up, as client-go's mutation cache does for its controllers.
import type { KubeObject } from "./client/kube-client.ts";
import { stripManagedFields } from "./informer.ts";
import { isOlderCopy } from "./resource-version.ts";

/**
 * The copies this process last wrote, by key. resourceVersions are compared as integers, as
 * client-go's integer mutation cache does (the API server hands out etcd revisions); when either
 * is not an integer the cache's copy is taken, so nothing is ever newer than the server's word.
 */
export class WrittenObjects<T extends KubeObject> {
  private readonly written = new Map<string, T>();

  /** Remembers `object` as the API server returned it from a write under `key` (managedFields dropped, like the cache). */
  remember(key: string, object: T): void {
    this.written.set(key, stripManagedFields(object));
  }

  /**
   * The newer of `cached` and the copy written under `key`. A cached copy at least as new as the
   * written one, or none at all (deleted), makes the written copy forgotten.
   */
  newest(key: string, cached: T | undefined): T | undefined {
    const written = this.written.get(key);
    if (written === undefined) return cached;
    if (cached !== undefined && isOlderCopy(cached, written)) return written;
    this.written.delete(key);
    return cached;
  }

  /** How many keys hold a copy newer than the cache's (for tests and metrics). */
  get size(): number {
    return this.written.size;
  }
}
