import { ApiError } from "./client/api-error.ts";
import type { KubeObject, ListOptions, ListPage, WatchEvent, WatchOptions } from "./client/kube-client.ts";
import type { ResourceRef } from "./client/resource.ts";

/** What the informer needs from a client; `KubeClient` satisfies it. */
export interface ListWatcher {
  list<T extends KubeObject>(ref: ResourceRef, options: ListOptions): Promise<ListPage<T>>;
  watch<T extends KubeObject>(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void>;
}

export type InformerEventType = "added" | "updated" | "deleted" | "resync";

/** Handlers only learn that something changed; they should enqueue a key and return. */
export type InformerHandler<T> = (type: InformerEventType, object: T) => void;

export interface InformerOptions {
  ref: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  pageSize?: number;
  /** Re-deliver every cached object as "resync" this often (0 = never). Default 10 min. */
  resyncPeriodMs?: number;
  /** A watch with no byte for this long is treated as dead. Default 2 min (bookmarks arrive about every minute). */
  idleTimeoutMs?: number;
  /** Backoff between failed attempts: from `initialMs`, doubling, jittered, capped at `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** Injected for tests: waits `ms` or until the signal aborts. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Called on every restart of list or watch (for metrics and logs). */
  onRestart?: (reason: string, error: unknown) => void;
  /**
   * What the cache keeps of each object, after managedFields were dropped (as controller-runtime's
   * cache transforms): a pure function returning a smaller copy; readers then see only what it kept.
   */
  transform?: (object: KubeObject) => KubeObject;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(object: KubeObject): string {
  const m = object.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ""}` : (m.name ?? "");
}

class GoneError extends Error {
  override readonly name = "GoneError";
}

/**
 * A supervised list+watch cache of one resource. It lists (paginated), then watches from the
 * list's resourceVersion with bookmarks and a random 300–600 s server timeout, resuming from the
 * last seen resourceVersion when a watch ends. A 410 Gone relists; any other error retries with
 * jittered exponential backoff (about 0.8 s → 30 s); a silent connection is cut by a watchdog.
 * It never throws out of `run` and never exits the process. Cached objects have no
 * managedFields and must not be mutated by callers.
 */
export class Informer<T extends KubeObject> {
  private readonly store = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly options: Required<Omit<InformerOptions, "namespace" | "labelSelector" | "onRestart" | "transform">> & InformerOptions;
  private readonly client: ListWatcher;
  private resourceVersion = "";
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  restarts = 0;

  constructor(client: ListWatcher, options: InformerOptions) {
    this.client = client;
    this.options = {
      pageSize: 500,
      resyncPeriodMs: 10 * 60_000,
      idleTimeoutMs: 120_000,
      backoff: { initialMs: 800, maxMs: 30_000 },
      delay: defaultDelay,
      random: Math.random,
      ...options,
    };
  }

  /** Registers a handler; call before `run`. */
  onChange(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first full list has been stored (or never, if `run` is never called). */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const resync = this.options.resyncPeriodMs > 0 ? this.startResync(signal) : Promise.resolve();
    let needList = true;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist(signal);
          needList = false;
        }
        await this.watchOnce(signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        this.restarts++;
        if (error instanceof GoneError || (error instanceof ApiError && error.isGone)) {
          needList = true;
          this.options.onRestart?.("ResourceVersionExpired", error);
          continue;
        }
        this.options.onRestart?.(needList ? "ListFailed" : "WatchFailed", error);
        await this.options.delay(this.backoffMs(failures++), signal);
      }
    }
    await resync;
  }

  /** What the cache keeps of `object`. */
  private kept(object: T): T {
    const stripped = stripManagedFields(object);
    return this.options.transform === undefined ? stripped : (this.options.transform(stripped) as T);
  }

  private backoffMs(failures: number): number {
    const { initialMs, maxMs } = this.options.backoff;
    const base = Math.min(maxMs, initialMs * 2 ** failures);
    return base * (0.8 + 0.4 * this.options.random());
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion: string;
    do {
      const page = await this.client.list<T>(this.options.ref, {
        namespace: this.options.namespace,
        labelSelector: this.options.labelSelector,
        limit: this.options.pageSize,
        continueToken,
        signal,
      });
      for (const item of page.items) fresh.set(objectKey(item), this.kept(item));
      continueToken = page.continueToken;
      resourceVersion = page.resourceVersion;
    } while (continueToken !== undefined);

    for (const [key, old] of this.store) {
      if (!fresh.has(key)) {
        this.store.delete(key);
        this.emit("deleted", old);
      }
    }
    for (const [key, object] of fresh) {
      const existed = this.store.has(key);
      this.store.set(key, object);
      this.emit(existed ? "updated" : "added", object);
    }
    this.resourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private watchOnce(signal: AbortSignal): Promise<void> {
    const timeoutSeconds = 300 + Math.floor(this.options.random() * 300);
    let failure: Error | undefined;
    const watching = new AbortController();
    const stop = (): void => watching.abort();
    signal.addEventListener("abort", stop, { once: true });
    return this.client.watch<T>(this.options.ref, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      resourceVersion: this.resourceVersion,
      timeoutSeconds,
      idleTimeoutMs: this.options.idleTimeoutMs,
      signal: watching.signal,
    }, (event) => {
      if (failure !== undefined) return;
      if (event.type === "ERROR") {
        const status = event.object as { code?: number; message?: string };
        const message = status.message ?? `watch error ${status.code ?? "without code"}`;
        failure = status.code === 410 ? new GoneError(message) : new ApiError(status.code ?? 0, message);
        watching.abort();
        return;
      }
      this.apply(event);
    }).then(() => {
      if (failure !== undefined) throw failure;
    }).finally(() => signal.removeEventListener("abort", stop));
  }

  private apply(event: WatchEvent<T>): void {
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === "BOOKMARK") return;
    const object = this.kept(event.object);
    const key = objectKey(object);
    if (event.type === "DELETED") {
      this.store.delete(key);
      this.emit("deleted", object);
      return;
    }
    const existed = this.store.has(key);
    this.store.set(key, object);
    this.emit(existed ? "updated" : "added", object);
  }

  private emit(type: InformerEventType, object: T): void {
    for (const handler of this.handlers) handler(type, object);
  }

  private async startResync(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.options.delay(this.options.resyncPeriodMs, signal);
      if (signal.aborted || !this.synced) continue;
      for (const object of this.store.values()) this.emit("resync", object);
    }
  }
}

/** `object` without metadata.managedFields, as caches keep objects. */
export function stripManagedFields<T extends KubeObject>(object: T): T {
  if (object.metadata?.managedFields === undefined) return object;
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

function defaultDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
