import { ApiError } from "./api-error.ts";
import { apiVersionOf, resourcePath, type ResourceRef } from "./resource.ts";
import type { KubeTransport } from "./transport.ts";

/** The parts of object metadata the runtime relies on. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  deletionTimestamp?: string;
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  continueToken?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  limit?: number;
  continueToken?: string;
  signal?: AbortSignal;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  resourceVersion: string;
  timeoutSeconds: number;
  /** Abort the stream when no byte (event or bookmark) arrives for this long. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
}

/** The single field manager of every write MDO makes. */
export const FIELD_MANAGER = "mdo";

/**
 * Typed operations on any resource through one transport (rate limit, metrics, auth).
 * Errors are `ApiError`s; `get` returns null for 404 instead.
 */
export class KubeClient {
  readonly transport: KubeTransport;
  /** Aborts every request of this client that names no signal of its own (see withSignal). */
  readonly signal: AbortSignal | undefined;

  constructor(transport: KubeTransport, signal?: AbortSignal) {
    this.transport = transport;
    this.signal = signal;
  }

  /** The same client whose requests abort with `signal` (one reconcile's, say); shares the transport. */
  withSignal(signal: AbortSignal): KubeClient {
    return new KubeClient(this.transport, signal);
  }

  async get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T | null> {
    try {
      return await this.transport.request<T>({ verb: "GET", path: resourcePath(ref, namespace, name), signal: this.signal });
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound) return null;
      throw error;
    }
  }

  async list<T extends KubeObject>(ref: ResourceRef, options: ListOptions = {}): Promise<ListPage<T>> {
    const body = await this.transport.request<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>({
      verb: "LIST",
      path: resourcePath(ref, options.namespace),
      query: { labelSelector: options.labelSelector, limit: options.limit, continue: options.continueToken },
      signal: options.signal ?? this.signal,
    });
    const items = (body.items ?? []).map((item) => ({ apiVersion: apiVersionOf(ref), kind: ref.kind, ...item }));
    return { items, resourceVersion: body.metadata?.resourceVersion ?? "", continueToken: body.metadata?.continue || undefined };
  }

  /**
   * The log of one container of a pod (`previous`: of its last terminated run), at most
   * `tailLines` lines and `limitBytes` bytes, as plain text (the API server answers a log
   * request for application/json with the text itself). Needs `get` on pods/log.
   */
  podLog(namespace: string, pod: string, options: { container: string; previous?: boolean; tailLines?: number; limitBytes?: number; signal?: AbortSignal }): Promise<string> {
    return this.transport.text({
      verb: "GET",
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: { container: options.container, previous: options.previous, tailLines: options.tailLines, limitBytes: options.limitBytes },
      signal: options.signal ?? this.signal,
    });
  }

  /** Streams watch events until the server ends the watch or the signal aborts. */
  watch<T extends KubeObject>(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    return this.transport.stream({
      verb: "WATCH",
      path: resourcePath(ref, options.namespace),
      query: {
        watch: 1,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: options.timeoutSeconds,
        labelSelector: options.labelSelector,
      },
      signal: options.signal,
    }, (raw) => onEvent(raw as WatchEvent<T>), options.idleTimeoutMs);
  }

  /**
   * Server-side apply of `object` as field manager `mdo`, forcing ownership of the fields it
   * sets unless `force` is false (then a field another manager set to another value is a 409
   * Conflict and nothing is written). `object` must carry apiVersion, kind, metadata.name (and
   * namespace if namespaced).
   */
  apply<T extends KubeObject>(ref: ResourceRef, object: T, options: { subresource?: "status" | "scale"; dryRun?: boolean; force?: boolean } = {}): Promise<T> {
    const name = object.metadata?.name;
    if (name === undefined) throw new ApiError(0, `Cannot apply a ${ref.kind} without metadata.name`);
    return this.transport.request<T>({
      verb: "APPLY",
      path: resourcePath(ref, object.metadata?.namespace, name, options.subresource),
      query: { fieldManager: FIELD_MANAGER, force: options.force ?? true, dryRun: options.dryRun ? "All" : undefined },
      body: object,
      contentType: "application/apply-patch+yaml",
      signal: this.signal,
    });
  }

  create<T extends KubeObject>(ref: ResourceRef, object: T): Promise<T> {
    return this.transport.request<T>({
      verb: "POST",
      path: resourcePath(ref, object.metadata?.namespace),
      query: { fieldManager: FIELD_MANAGER },
      body: object,
      signal: this.signal,
    });
  }

  /** Deletes an object; absent objects are not an error. */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: { uid?: string } = {}): Promise<void> {
    try {
      await this.transport.request({
        verb: "DELETE",
        path: resourcePath(ref, namespace, name),
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background", preconditions: options.uid ? { uid: options.uid } : undefined },
        signal: this.signal,
      });
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound) return;
      throw error;
    }
  }
}
