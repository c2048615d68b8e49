// Watches one kind in the benchmark's namespace through the project's own informer and tells
// when an object first satisfies a condition, with the time the watch event arrived. Watches do
// not count against anyone's rate limit.
import type { KubeClient, KubeObject } from "../../src/runtime/client/kube-client.ts";
import type { ResourceRef } from "../../src/runtime/client/resource.ts";
import { Informer } from "../../src/runtime/informer.ts";

interface Waiter<T> {
  readonly check: (object: T) => boolean;
  readonly resolve: (atMs: number) => void;
}

export class ObjectWatch<T extends KubeObject> {
  private readonly informer: Informer<T>;
  private readonly waiters = new Map<string, Waiter<T>[]>();
  private readonly keyOf: (object: T) => string | undefined;
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;

  /** `keyOf` names the object a waiter waits for (its name, or its owner's for children); undefined ignores it. */
  constructor(client: KubeClient, ref: ResourceRef, namespace: string, keyOf: (object: T) => string | undefined, labelSelector?: string) {
    this.keyOf = keyOf;
    this.informer = new Informer<T>(client, { ref, namespace, resyncPeriodMs: 0, ...(labelSelector === undefined ? {} : { labelSelector }) });
    this.informer.onChange((type, object) => {
      if (type !== "deleted") this.offer(object, performance.now());
    });
  }

  async start(): Promise<void> {
    this.running = this.informer.run(this.stop.signal);
    await this.informer.waitForSync();
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  list(): T[] {
    return this.informer.list();
  }

  /**
   * Resolves with `performance.now()` of the first watch event (from now on) whose object, keyed
   * `key`, satisfies `check`; at once if the cached object already does.
   */
  when(key: string, check: (object: T) => boolean): Promise<number> {
    const current = this.informer.list().find((o) => this.keyOf(o) === key && check(o));
    if (current !== undefined) return Promise.resolve(performance.now());
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push({ check, resolve });
      this.waiters.set(key, list);
    });
  }

  private offer(object: T, atMs: number): void {
    const key = this.keyOf(object);
    if (key === undefined) return;
    const list = this.waiters.get(key);
    if (list === undefined) return;
    const left = list.filter((w) => {
      if (!w.check(object)) return true;
      w.resolve(atMs);
      return false;
    });
    if (left.length === 0) this.waiters.delete(key);
    else this.waiters.set(key, left);
  }
}
