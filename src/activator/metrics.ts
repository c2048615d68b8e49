// The activator's Prometheus metrics, registered in a registry the caller owns. Series per
// target exist only while that target has requests held, so arbitrary Host headers cannot grow
// the registry without bound.
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { ActivationTarget } from "./target.ts";

/** How a request ended; each request is counted under exactly one. */
export const OUTCOMES = [
  "forwarded_direct", "forwarded_after_cold_start", "rejected_queue_full", "rejected_timeout", "rejected_too_large",
  "rejected_unknown_target", "rejected_shutdown", "client_gone", "upstream_error", "internal_error",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Cold start waits (seconds): a warm image starts in seconds, a large model can take minutes. */
export const COLD_START_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

export class ActivatorMetrics {
  readonly requests: Counter<"outcome">;
  readonly queueDepth: Gauge<"namespace" | "name">;
  readonly coldStartWait: Histogram;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: "mdo_activator_requests_total", help: "Requests the activator finished, by outcome.",
      labelNames: ["outcome"], registers: [registry],
    });
    this.queueDepth = new Gauge({
      name: "mdo_activator_queue_depth", help: "Requests held for a target's first ready pod, by ModelDeployment.",
      labelNames: ["namespace", "name"], registers: [registry],
    });
    this.coldStartWait = new Histogram({
      name: "mdo_activator_cold_start_wait_seconds", help: "Time held requests waited until a pod of their ModelDeployment was ready.",
      buckets: COLD_START_BUCKETS, registers: [registry],
    });
    for (const outcome of OUTCOMES) this.requests.inc({ outcome }, 0);
  }

  /** Sets the target's queue depth; a depth of 0 removes its series. */
  setQueueDepth(target: ActivationTarget, depth: number): void {
    const labels = { namespace: target.namespace, name: target.name };
    if (depth === 0) this.queueDepth.remove(labels);
    else this.queueDepth.set(labels, depth);
  }
}
