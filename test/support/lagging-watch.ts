// A ListWatcher whose watch events of one resource arrive late: a busy API server or a slow
// network, played on purpose, so a reconcile can run on a cache that has not seen its own writes.
import type { KubeObject, ListOptions, ListPage, WatchEvent, WatchOptions } from "../../src/runtime/client/kube-client.ts";
import type { ResourceRef } from "../../src/runtime/client/resource.ts";
import type { ListWatcher } from "../../src/runtime/informer.ts";

/** Passes `client` through, except that watch events of `lagging` are delivered `lagMs` later, in order. */
export function laggingWatch(client: ListWatcher, lagging: ResourceRef, lagMs: number): ListWatcher {
  return {
    list: <T extends KubeObject>(ref: ResourceRef, options: ListOptions): Promise<ListPage<T>> => client.list<T>(ref, options),
    watch: <T extends KubeObject>(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void> => {
      if (ref.plural !== lagging.plural || ref.group !== lagging.group) return client.watch(ref, options, onEvent);
      return client.watch<T>(ref, options, (event) => {
        setTimeout(() => {
          if (options.signal?.aborted !== true) onEvent(event);
        }, lagMs);
      });
    },
  };
}
