// Wires informers to a work queue, the way controller-runtime's builder does:
// for(primary).owns(children…).watches(other, map). Handlers only enqueue keys.
import type { KubeObject } from "./client/kube-client.ts";
import { apiVersionOf, type ResourceRef } from "./client/resource.ts";
import type { Clock } from "./clock.ts";
import { Informer, objectKey, type ListWatcher } from "./informer.ts";
import type { Logger } from "./logging.ts";
import type { OperatorMetrics } from "./metrics.ts";
import type { Reconcile } from "./reconcile.ts";
import { WorkQueue } from "./workqueue.ts";
import { describeError } from "./errors.ts";

export interface WatchSpec {
  ref: ResourceRef;
  labelSelector?: string;
  /** Watch this namespace instead of the controller's (a watch of the operator's own objects). */
  namespace?: string;
  /**
   * The cache's name, for a second watch of a resource the controller already watches (another
   * namespace or selector); default the resource's. `cache(ref, name)` finds it.
   */
  name?: string;
  /** What the cache keeps of each object (InformerOptions.transform); everything but managedFields by default. */
  transform?: (object: KubeObject) => KubeObject;
}

/** A watch on objects that are not owned, mapped to the primary keys they affect. */
export interface MappedWatchSpec extends WatchSpec {
  map: (object: KubeObject) => string[];
}

export interface ControllerOptions {
  name: string;
  client: ListWatcher;
  primary: WatchSpec;
  owns?: WatchSpec[];
  watches?: MappedWatchSpec[];
  /** Watch one namespace; all namespaces when absent. */
  namespace?: string;
  reconcile: Reconcile;
  workers?: number;
  clock: Clock;
  logger: Logger;
  metrics: OperatorMetrics;
}

function refId(ref: ResourceRef): string {
  return `${ref.plural}.${ref.group || "core"}`;
}

/**
 * One controller: an informer per watched resource and one work queue of primary keys.
 * `run` starts everything, resolves once `signal` aborts and in-flight reconciles drained.
 */
export class Controller {
  readonly name: string;
  private readonly options: ControllerOptions;
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly queue: WorkQueue;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.options = options;
    this.queue = new WorkQueue({
      reconcile: options.reconcile,
      workers: options.workers,
      clock: options.clock,
      hooks: {
        ...options.metrics.workQueueHooks(options.name),
        onError: (key, error, retries) =>
          options.logger.error("Reconcile failed", { controller: options.name, key, retries, error: describeError(error) }),
      },
    });
    options.metrics.observeQueue(options.name, () => this.queue.unfinishedWork());
    const primary = this.informer(options.primary);
    // An object new to this process (created, or listed at start) waits behind work in flight.
    primary.onChange((type, object) => this.queue.add(objectKey(object), type === "added" ? "low" : "normal"));
    for (const owned of options.owns ?? []) {
      this.informer(owned).onChange((_type, object) => {
        const owner = controllerOwner(object, options.primary.ref);
        if (owner !== undefined) this.queue.add(owner);
      });
    }
    for (const watch of options.watches ?? []) {
      this.informer(watch).onChange((_type, object) => {
        for (const key of watch.map(object)) this.queue.add(key);
      });
    }
  }

  /** The cache of a watched resource; reconciles read from it, never mutate what it returns. */
  cache<T extends KubeObject>(ref: ResourceRef, name = refId(ref)): Informer<T> {
    const informer = this.informers.get(name);
    if (informer === undefined) throw new Error(`Controller ${this.name} does not watch ${name}`);
    return informer as unknown as Informer<T>;
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  enqueue(key: string, afterMs = 0): void {
    if (afterMs > 0) this.queue.addAfter(key, afterMs);
    else this.queue.add(key);
  }

  async run(signal: AbortSignal): Promise<void> {
    const informers = new AbortController();
    const running = [...this.informers.values()].map((i) => i.run(informers.signal));
    await Promise.race([Promise.all([...this.informers.values()].map((i) => i.waitForSync())), aborted(signal)]);
    if (!signal.aborted) {
      this.options.logger.info("Caches synced; starting workers", { controller: this.name });
      this.queue.start();
      await aborted(signal);
    }
    await this.queue.shutdown({ drain: true, timeoutMs: 25_000 });
    informers.abort();
    await Promise.all(running);
  }

  private informer(spec: WatchSpec): Informer<KubeObject> {
    const id = spec.name ?? refId(spec.ref);
    const existing = this.informers.get(id);
    if (existing !== undefined) return existing;
    const informer = new Informer<KubeObject>(this.options.client, {
      ref: spec.ref,
      namespace: spec.namespace ?? this.options.namespace,
      labelSelector: spec.labelSelector,
      ...(spec.transform === undefined ? {} : { transform: spec.transform }),
      onRestart: (reason, error) => {
        this.options.metrics.informerRestarts.inc({ resource: id, reason });
        this.options.logger.warn("Restarted informer", { controller: this.name, resource: id, reason, error: describeError(error) });
      },
    });
    this.informers.set(id, informer);
    return informer;
  }
}

/** `namespace/name` of the controller owner of `object` if it is of the primary kind. */
function controllerOwner(object: KubeObject, primary: ResourceRef): string | undefined {
  const ref = object.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (ref === undefined || ref.kind !== primary.kind || ref.apiVersion !== apiVersionOf(primary)) return undefined;
  return object.metadata?.namespace ? `${object.metadata.namespace}/${ref.name}` : ref.name;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

