// Records Kubernetes Events (events.k8s.io/v1) about objects, for `kubectl describe`.
import { randomBytes } from "node:crypto";
import type { KubeClient, KubeObject } from "./client/kube-client.ts";
import { Resources } from "./client/resource.ts";
import type { Clock } from "./clock.ts";
import { describeError } from "./errors.ts";
import type { Logger } from "./logging.ts";

export interface EventSpec {
  type: "Normal" | "Warning";
  /** CamelCase, machine-readable. */
  reason: string;
  /** What happened, for people; never contains credentials. */
  message: string;
  /** What the controller did or failed to do (UpperCamelCase verb), e.g. "Reconcile". */
  action?: string;
}

export interface EventRecorderOptions {
  reportingController: string;
  reportingInstance: string;
  logger: Logger;
  clock: Clock;
  /** Events waiting to be sent at most; more are dropped and counted (default 1000). */
  capacity?: number;
  /** Called for every Event dropped because the queue was full. */
  onDropped?: () => void;
}

/** How long `close` keeps sending what is queued before it gives up on the rest. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Emits Events as `reportingController`, like client-go's event broadcaster: `record` only
 * queues (a reconcile never waits for an Event, nor spends its rate limit on one) and one
 * sender posts them in order through `client`, whose transport should have a rate limit of
 * its own. The queue is bounded; when it is full an Event is dropped, counted and logged.
 * Failures to send are logged, never thrown: an Event is a courtesy.
 */
export class EventRecorder {
  private readonly client: KubeClient;
  private readonly options: EventRecorderOptions;
  private readonly queue: KubeObject[] = [];
  /** The sender's run; `draining` turns false synchronously when it has nothing left to send. */
  private sending: Promise<void> = Promise.resolve();
  private draining = false;
  private readonly stop = new AbortController();
  private closed = false;

  constructor(client: KubeClient, options: EventRecorderOptions) {
    this.client = client;
    this.options = options;
  }

  /** Queues an Event about `regarding`; returns at once. After `close`, Events are dropped. */
  record(regarding: KubeObject, event: EventSpec): void {
    if (this.closed) return;
    if (this.queue.length >= (this.options.capacity ?? 1000)) {
      this.options.onDropped?.();
      this.options.logger.warn("Event queue full; dropped an Event", { reason: event.reason, object: regarding.metadata?.name });
      return;
    }
    this.queue.push(this.eventObject(regarding, event));
    if (!this.draining) {
      this.draining = true;
      this.sending = this.drain();
    }
  }

  /** Events queued and not yet sent. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves when every Event queued so far was sent (or failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.sending;
  }

  /**
   * Stops taking Events and sends what is queued for at most `timeoutMs`; whatever is left then
   * is dropped (the request in flight is aborted). Never rejects.
   */
  async close(timeoutMs = CLOSE_TIMEOUT_MS): Promise<void> {
    this.closed = true;
    const cancel = this.options.clock.setTimeout(() => this.stop.abort(new Error("The event recorder closed")), timeoutMs);
    await this.flush();
    cancel();
  }

  private async drain(): Promise<void> {
    const client = this.client.withSignal(this.stop.signal);
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        if (this.stop.signal.aborted) {
          this.queue.length = 0;
          return;
        }
        try {
          await client.create(Resources.events, next);
        } catch (error) {
          this.options.logger.warn("Failed to record Event", { reason: (next as { reason?: string }).reason, error: describeError(error) });
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private eventObject(regarding: KubeObject, event: EventSpec): KubeObject {
    const meta = regarding.metadata ?? {};
    const nowMs = this.options.clock.now();
    return {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      // Named like client-go's events: <object>.<hex time><random>, unique without generateName.
      metadata: { name: `${meta.name ?? "object"}.${Math.floor(nowMs).toString(16)}${randomBytes(2).toString("hex")}`, namespace: meta.namespace ?? "default" },
      eventTime: new Date(nowMs).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z"),
      reportingController: this.options.reportingController,
      reportingInstance: this.options.reportingInstance,
      action: event.action ?? "Reconcile",
      reason: event.reason,
      note: event.message.slice(0, 1024),
      type: event.type,
      regarding: {
        apiVersion: regarding.apiVersion, kind: regarding.kind, name: meta.name, namespace: meta.namespace,
        uid: meta.uid, resourceVersion: meta.resourceVersion,
      },
    } as KubeObject;
  }
}
