// What a ModelDeployment reconcile reads and calls: the caches, the client and the services
// around it. Below reconciler.ts and every step of it (converge, rollout, drift…), which take it.
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import type { RuntimeCatalog } from "../../catalog/catalog.ts";
import type { KubeClient, KubeObject } from "../../runtime/client/kube-client.ts";
import type { AppliedObjects } from "../../runtime/applied-objects.ts";
import type { Clock } from "../../runtime/clock.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import type { Informer } from "../../runtime/informer.ts";
import type { Logger } from "../../runtime/logging.ts";
import type { OperatorMetrics } from "../../runtime/metrics.ts";
import type { Analyzer } from "../../analysis/analyzer.ts";
import type { LabelScores, Reading, RevisionDrift } from "../../analysis/index.ts";
import type { WebhookCaller } from "../../webhooks/types.ts";
import type { LoadAutoscaler } from "../../autoscaler/autoscaler.ts";
import type { CrashLogReader } from "./crash-logs.ts";
import type { ActivatorEndpoint } from "./scale-to-zero/activator-endpoints.ts";
import type { ModelDeploymentObject } from "./resource.ts";
import type { OperatorSettings } from "./settings.ts";

export interface Caches {
  modelDeployments: Informer<ModelDeploymentObject>;
  deployments: Informer<V1Deployment & KubeObject>;
  pods: Informer<V1Pod & KubeObject>;
  /** Every other owned kind, by plural name (services, configmaps, …). */
  owned: Map<string, Informer<KubeObject>>;
}

export interface ReconcilerDeps {
  client: KubeClient;
  caches: Caches;
  catalog: RuntimeCatalog;
  settings: OperatorSettings;
  /** Queues Events (one sender for the process; see src/runtime/events.ts). */
  recorder: EventRecorder;
  logger: Logger;
  /**
   * The operator's one clock (src/operator/run.ts: realClock): every step reads the time from it
   * (`new Date(clock.now())`), nothing calls Date.now() or new Date().
   */
  clock: Clock;
  /**
   * Deployments this process applied that its cache may not show yet (read-your-writes for
   * status); without one, status is built from the cache alone.
   */
  applied?: AppliedObjects<V1Deployment & KubeObject>;
  /** Runs the checks of rollout analyses; without one, every analysis is inconclusive. */
  analyzer?: Analyzer;
  /** Calls spec.rollout.webhooks (the operator's calls them over HTTP). */
  webhooks: WebhookCaller;
  /** Sizes revisions that scale on concurrency or rps; without one they keep their replica count. */
  autoscaler?: LoadAutoscaler;
  /**
   * The MDO activator's ready endpoints now (from its Service's EndpointSlices); without any, no
   * revision scales to zero (nothing could hold its requests).
   */
  activatorEndpoints?: () => readonly ActivatorEndpoint[];
  /** Reads a revision's drift from its agents; without one, drift is not monitored. */
  readDrift?: (namespace: string, name: string, revision: string, signal?: AbortSignal) => Promise<Reading<RevisionDrift>>;
  /** Reads a revision's ground truth (its agents' feedback counters); without one, it is not monitored. */
  readQuality?: (namespace: string, name: string, revision: string, signal?: AbortSignal) => Promise<Reading<LabelScores>>;
  /**
   * The running reconcile's abort signal (shutdown, lost leadership), set by the reconciler for
   * one reconcile together with a `client` whose requests carry it; the analyzer and the drift and
   * quality readers get it too.
   */
  signal?: AbortSignal;
  /** How often the stable revision's drift (and ground truth) is read again (default 30 s). */
  driftCheckIntervalMs?: number;
  metrics?: OperatorMetrics;
  /** Whether the cluster serves the Gateway API (cached); without it, taken as not served. */
  gatewayApiAvailable?: () => Promise<boolean>;
  /** Reads what crash-looping containers logged when they exited 0; without one, status has the kubelet's words only. */
  crashLogs?: CrashLogReader;
  /** How long a model container may run unready before status says ModelNotLoaded (default 10 min). */
  modelLoadTimeoutMs?: number;
}
