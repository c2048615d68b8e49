// The cluster's BackendDirectory: the ready pods of each ModelDeployment, kept from pod events
// (an informer over MODEL_SERVER_PODS, cached through podForActivator).
import type { KubeObject } from "../runtime/client/kube-client.ts";
import { objectKey, type InformerEventType } from "../runtime/informer.ts";
import type { BackendDirectory } from "./backends.ts";
import { DEFAULT_BACKEND_PORT, readyBackendOf } from "./pods.ts";
import { ReadyWaiters } from "./ready-waiters.ts";
import { targetKey, type ActivationTarget } from "./target.ts";

interface TargetBackends {
  /** Pod key → base URL of each ready pod of the target. */
  readonly urls: Map<string, string>;
  /** The round-robin cursor. */
  next: number;
}

export interface PodBackendsOptions {
  /** The port forwarded to on each pod (the MDO agent's); default 8080. */
  readonly backendPort?: number;
}

export class PodBackends implements BackendDirectory {
  private readonly backendPort: number;
  private readonly targets = new Map<string, TargetBackends>();
  /** The target key each ready pod is listed under. */
  private readonly listedUnder = new Map<string, string>();
  private readonly waiters = new ReadyWaiters();

  constructor(options: PodBackendsOptions = {}) {
    this.backendPort = options.backendPort ?? DEFAULT_BACKEND_PORT;
  }

  /**
   * Takes one pod event (an InformerHandler; the whole pod as it is now, or as it was when
   * deleted). A pod that became a ready backend resolves its target's pending waits at once.
   */
  readonly onPodEvent = (type: InformerEventType, pod: KubeObject): void => {
    const podKey = objectKey(pod);
    this.unlist(podKey);
    if (type === "deleted") return;
    const backend = readyBackendOf(pod, this.backendPort);
    if (backend === undefined) return;
    const key = targetKey(backend.target);
    const entry = this.targets.get(key) ?? { urls: new Map<string, string>(), next: 0 };
    this.targets.set(key, entry);
    entry.urls.set(podKey, backend.url);
    this.listedUnder.set(podKey, key);
    this.waiters.resolve(backend.target, () => this.pick(key) ?? backend.url);
  };

  ready(target: ActivationTarget): string | undefined {
    return this.pick(targetKey(target));
  }

  waitForReady(target: ActivationTarget, signal: AbortSignal): Promise<string> {
    return this.waiters.readyOrWait(target, signal, (t) => this.ready(t));
  }

  /** The target's ready backends now, without moving the round-robin cursor. */
  readyUrls(target: ActivationTarget): string[] {
    return [...(this.targets.get(targetKey(target))?.urls.values() ?? [])];
  }

  /** How many waits are pending for the target (tests). */
  waiting(target: ActivationTarget): number {
    return this.waiters.count(target);
  }

  private unlist(podKey: string): void {
    const key = this.listedUnder.get(podKey);
    if (key === undefined) return;
    this.listedUnder.delete(podKey);
    const entry = this.targets.get(key);
    entry?.urls.delete(podKey);
    if (entry?.urls.size === 0) this.targets.delete(key);
  }

  private pick(key: string): string | undefined {
    const entry = this.targets.get(key);
    if (entry === undefined) return undefined;
    const urls = [...entry.urls.values()];
    const url = urls[entry.next % urls.length];
    entry.next = (entry.next + 1) % urls.length;
    return url;
  }
}
