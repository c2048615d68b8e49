// The operator's own Prometheus metrics (names documented in docs/metrics.md).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TransportHooks } from "./client/transport.ts";
import type { WorkQueueHooks } from "./workqueue-hooks.ts";

/** One registry per process, created by the composition root and injected. */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: "mdo_reconcile_total", help: "Reconciles by controller and result (success, requeue_after, retry, terminal).",
    labelNames: ["controller", "result"], registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: "mdo_reconcile_duration_seconds", help: "Time one reconcile took.",
    labelNames: ["controller"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "mdo_workqueue_depth", help: "Keys waiting for a worker.", labelNames: ["controller"], registers: [this.registry],
  });
  readonly queueAdds = new Counter({
    name: "mdo_workqueue_adds_total", help: "Keys that became pending.", labelNames: ["controller"], registers: [this.registry],
  });
  readonly queueRetries = new Counter({
    name: "mdo_workqueue_retries_total", help: "Failed reconciles scheduled for a retry.", labelNames: ["controller"], registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: "mdo_workqueue_queue_duration_seconds", help: "Time a key waited before a worker took it.",
    labelNames: ["controller"], buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 60], registers: [this.registry],
  });
  private readonly queues = new Map<string, () => { unfinishedWorkSeconds: number; longestRunningProcessorSeconds: number }>();
  readonly longestRunning: Gauge = new Gauge({
    name: "mdo_workqueue_longest_running_processor_seconds", help: "How long the longest running reconcile has been running.",
    labelNames: ["controller"], registers: [this.registry],
    collect: (): void => this.collectQueues("longestRunningProcessorSeconds", this.longestRunning),
  });
  readonly unfinishedWork: Gauge = new Gauge({
    name: "mdo_workqueue_unfinished_work_seconds", help: "Sum of how long every running reconcile has been running.",
    labelNames: ["controller"], registers: [this.registry],
    collect: (): void => this.collectQueues("unfinishedWorkSeconds", this.unfinishedWork),
  });
  readonly canaryWeight = new Gauge({
    name: "mdo_rollout_canary_weight", help: "Percent of traffic the rollout wants the new revision of a ModelDeployment to get (0 without a rollout).",
    labelNames: ["namespace", "name"], registers: [this.registry],
  });
  readonly rolloutPhase = new Gauge({
    name: "mdo_rollout_phase", help: "1 for the rollout phase a ModelDeployment is in (Stable, Progressing, Promoting, RolledBack), 0 for the others.",
    labelNames: ["namespace", "name", "phase"], registers: [this.registry],
  });
  readonly analysisIntervals = new Counter({
    name: "mdo_rollout_analysis_intervals_total", help: "Analysis intervals of new revisions, by result (pass, fail, noData).",
    labelNames: ["namespace", "name", "result"], registers: [this.registry],
  });
  readonly rollouts = new Counter({
    name: "mdo_rollouts_total", help: "Finished rollouts, by outcome (Promoted, RolledBack, Aborted, Superseded).",
    labelNames: ["namespace", "name", "outcome"], registers: [this.registry],
  });
  readonly driftActions = new Counter({
    name: "mdo_drift_actions_total", help: "Drift actions taken on a ModelDeployment's stable revision, by action (Alert, Rollback, Retrain).",
    labelNames: ["namespace", "name", "action"], registers: [this.registry],
  });
  readonly driftMaxPsi = new Gauge({
    name: "mdo_drift_max_psi", help: "Largest feature PSI of a ModelDeployment's stable revision, as last read from its agents.",
    labelNames: ["namespace", "name", "revision"], registers: [this.registry],
  });
  readonly terminalErrors = new Counter({
    name: "mdo_reconcile_terminal_errors_total", help: "Reconciles that failed terminally (not retried).",
    labelNames: ["controller"], registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: "mdo_informer_restarts_total", help: "Restarts of an informer's list or watch, by resource and reason.",
    labelNames: ["resource", "reason"], registers: [this.registry],
  });
  readonly activations = new Counter({
    name: "mdo_activations_total",
    help: "The activator's POST /v1/activations by answer: accepted (202), not_leader (503), unknown (404), bad_request (400).",
    labelNames: ["answer"], registers: [this.registry],
  });
  readonly eventsDropped = new Counter({
    name: "mdo_events_dropped_total", help: "Events not sent because the Event queue was full.", registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: "mdo_api_requests_total", help: "Requests to the Kubernetes API by verb and HTTP code (0: no answer).",
    labelNames: ["verb", "code"], registers: [this.registry],
  });
  readonly apiRequestDuration = new Histogram({
    name: "mdo_api_request_duration_seconds", help: "Latency of Kubernetes API requests (watches: until the stream opened).",
    labelNames: ["verb"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: "mdo_leader", help: "1 while this process holds the leader Lease.", registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "mdo_process_" });
  }

  /** Reports a queue's in-flight work at scrape time. */
  observeQueue(controller: string, unfinished: () => { unfinishedWorkSeconds: number; longestRunningProcessorSeconds: number }): void {
    this.queues.set(controller, unfinished);
  }

  private collectQueues(field: "unfinishedWorkSeconds" | "longestRunningProcessorSeconds", gauge: Gauge): void {
    for (const [controller, read] of this.queues) gauge.set({ controller }, read()[field]);
  }

  transportHooks(): Pick<TransportHooks, "onResponse"> {
    return {
      onResponse: (verb, code, durationMs) => {
        this.apiRequests.inc({ verb, code: String(code) });
        this.apiRequestDuration.observe({ verb }, durationMs / 1000);
      },
    };
  }

  workQueueHooks(controller: string): WorkQueueHooks {
    const labels = { controller };
    return {
      onDepth: (depth) => this.queueDepth.set(labels, depth),
      onAdd: () => this.queueAdds.inc(labels),
      onQueueWait: (_key, seconds) => this.queueWait.observe(labels, seconds),
      onWorkDone: (_key, seconds, outcome) => {
        this.reconciles.inc({ controller, result: RESULT_LABELS[outcome] });
        this.reconcileDuration.observe(labels, seconds);
      },
      onRetry: () => this.queueRetries.inc(labels),
      onTerminalError: () => this.terminalErrors.inc(labels),
    };
  }
}

const RESULT_LABELS = { success: "success", requeueAfter: "requeue_after", retry: "retry", terminal: "terminal" } as const;
