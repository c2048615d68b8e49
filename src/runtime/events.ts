// Records Kubernetes Events (events.k8s.io/v1) about objects, for `kubectl describe`.
import { randomBytes } from "node:crypto";
import type { KubeClient, KubeObject } from "./client/kube-client.ts";
import { Resources } from "./client/resource.ts";
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

/**
 * Emits Events as `reportingController`. Failures to record are logged, never thrown: an Event
 * is a courtesy, and a reconcile must not fail or retry because of one.
 */
export class EventRecorder {
  private readonly client: KubeClient;
  private readonly controller: string;
  private readonly instance: string;
  private readonly logger: Logger;

  constructor(client: KubeClient, options: { reportingController: string; reportingInstance: string; logger: Logger }) {
    this.client = client;
    this.controller = options.reportingController;
    this.instance = options.reportingInstance;
    this.logger = options.logger;
  }

  async record(regarding: KubeObject, event: EventSpec): Promise<void> {
    const meta = regarding.metadata ?? {};
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
    try {
      await this.client.create(Resources.events, {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        // Named like client-go's events: <object>.<hex time><random>, unique without generateName.
        metadata: { name: `${meta.name ?? "object"}.${Date.now().toString(16)}${randomBytes(2).toString("hex")}`, namespace: meta.namespace ?? "default" },
        eventTime: now,
        reportingController: this.controller,
        reportingInstance: this.instance,
        action: event.action ?? "Reconcile",
        reason: event.reason,
        note: event.message.slice(0, 1024),
        type: event.type,
        regarding: {
          apiVersion: regarding.apiVersion, kind: regarding.kind, name: meta.name, namespace: meta.namespace,
          uid: meta.uid, resourceVersion: meta.resourceVersion,
        },
      } as KubeObject);
    } catch (error) {
      this.logger.warn("Failed to record Event", { reason: event.reason, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
