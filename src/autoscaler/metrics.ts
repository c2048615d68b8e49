// The autoscaler's Prometheus metrics (docs/metrics.md): what it decided and on what load.
import { Gauge, type Registry } from "prom-client";
import type { ScalingPolicy } from "./policy.ts";
import type { Recommendation } from "./recommend.ts";

export class AutoscalerMetrics {
  private readonly desired: Gauge;
  private readonly load: Gauge;
  private readonly panic: Gauge;

  constructor(registry: Registry) {
    this.desired = new Gauge({
      name: "mdo_autoscaler_desired_replicas", help: "Replicas the operator's autoscaler recommends for the serving revision.",
      labelNames: ["namespace", "name"], registers: [registry],
    });
    this.load = new Gauge({
      name: "mdo_autoscaler_observed_load",
      help: "Average load per ready pod the autoscaler saw, by metric (concurrency: requests in flight; rps: requests per second) and window (stable, panic).",
      labelNames: ["namespace", "name", "metric", "window"], registers: [registry],
    });
    this.panic = new Gauge({
      name: "mdo_autoscaler_panic", help: "1 while the panic window decides (fast scale-up, no scale-down).",
      labelNames: ["namespace", "name"], registers: [registry],
    });
  }

  observe(namespace: string, name: string, r: Recommendation, policy: ScalingPolicy): void {
    const pods = Math.max(1, r.readyPods);
    this.desired.set({ namespace, name }, r.desired);
    this.load.set({ namespace, name, metric: policy.metric, window: "stable" }, r.stableLoad / pods);
    this.load.set({ namespace, name, metric: policy.metric, window: "panic" }, r.panicLoad / pods);
    this.panic.set({ namespace, name }, r.panic ? 1 : 0);
  }

  forget(namespace: string, name: string): void {
    this.desired.remove({ namespace, name });
    this.panic.remove({ namespace, name });
    for (const metric of ["concurrency", "rps"]) for (const window of ["stable", "panic"]) this.load.remove({ namespace, name, metric, window });
  }
}
