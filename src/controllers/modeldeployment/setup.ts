// Declares the ModelDeployment controller's watches, next to it:
// for(ModelDeployment).owns(ConfigMap, Service, Deployment, HPA, PDB, NetworkPolicy).watches(Pod → owner),
// and gives its reconciler the caches and what the composition root built (src/operator/run.ts).
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import type { RuntimeCatalog } from "../../catalog/catalog.ts";
import type { KubeClient, KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources } from "../../runtime/client/resource.ts";
import type { Clock } from "../../runtime/clock.ts";
import { Controller } from "../../runtime/controller.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import type { Informer, ListWatcher } from "../../runtime/informer.ts";
import type { LoadAutoscaler } from "../../autoscaler/autoscaler.ts";
import type { Logger } from "../../runtime/logging.ts";
import type { OperatorMetrics } from "../../runtime/metrics.ts";
import type { Result } from "../../runtime/reconcile.ts";
import { OWNED_KINDS } from "./apply-children.ts";
import { podForCache } from "./pod-cache.ts";
import { LABEL_MANAGED_BY, LABEL_MODEL_DEPLOYMENT, MANAGED_BY } from "./labels.ts";
import { CrashLogReader } from "./crash-logs.ts";
import { CONTROLLER_NAME, ModelDeploymentReconciler } from "./reconciler.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "./resource.ts";
import type { OperatorSettings } from "./settings.ts";
import type { Caches } from "./deps.ts";
import type { MetricsAnalyzer } from "../../analysis/index.ts";
import { gatewayApiAvailable } from "../../traffic/index.ts";
import type { WebhookCaller } from "../../webhooks/types.ts";
import { cachedFor } from "../../runtime/cached.ts";
import { AppliedObjects } from "../../runtime/applied-objects.ts";
import { activatorEndpointsOf } from "./scale-to-zero/activator-endpoints.ts";
import { LABEL_SLICE_MANAGED_BY, SLICE_MANAGER } from "./builders/activator-slice.ts";
import type { V1EndpointSlice } from "@kubernetes/client-node";

/** How long the answer "does the cluster serve the Gateway API?" is reused. */
const GATEWAY_API_CACHE_MS = 30_000;

/** What the reconcile calls out to, built by the composition root (it may need the caches). */
export interface ReconcileServices {
  /**
   * Runs rollout analyses and reads the stable revision's drift and ground truth; without one,
   * every analysis is noData (AnalyzerUnavailable) and neither is monitored.
   */
  analyzer?: MetricsAnalyzer;
  /** Calls spec.rollout.webhooks. */
  webhooks: WebhookCaller;
  /** Sizes revisions that scale on concurrency or rps; without one they keep their replica count. */
  autoscaler?: LoadAutoscaler;
}

export interface ModelDeploymentControllerOptions {
  client: KubeClient;
  catalog: RuntimeCatalog;
  settings: OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  metrics: OperatorMetrics;
  /** The operator's one clock: the queue's timers and every time a reconcile reads. */
  clock: Clock;
  /** Called once, with the controller's caches, before the controller runs. */
  /** Builds the reconcile's services over the controller's caches; `enqueue` asks for a reconcile of a ModelDeployment key. */
  services: (caches: Caches, enqueue: (key: string) => void) => ReconcileServices;
  /** How often the stable revision's drift and ground truth are read (default 30 s). */
  driftCheckIntervalMs?: number;
  /** How long a model container may run unready before status says ModelNotLoaded (default 10 min). */
  modelLoadTimeoutMs?: number;
  /** Watch one namespace; all when absent. */
  namespace?: string;
  workers?: number;
  /** What the caches list and watch through (default: `client`); tests slow a watch down with it. */
  listWatcher?: ListWatcher;
  /**
   * The MDO activator's Service: its EndpointSlices are watched, and ModelDeployments that may
   * scale to zero route to its endpoints while they have no ready pod. Without it none scales to zero.
   */
  activatorService?: { namespace: string; name: string };
}

/** The cache of the activator Service's EndpointSlices (a second EndpointSlice watch). */
const ACTIVATOR_SLICES = "activator-endpointslices";

/** Only objects MDO labelled are cached; anything else is looked up on demand. */
const MANAGED = `${LABEL_MANAGED_BY}=${MANAGED_BY}`;

export function modelDeploymentController(options: ModelDeploymentControllerOptions): Controller {
  const controller: Controller = new Controller({
    name: CONTROLLER_NAME,
    client: options.listWatcher ?? options.client,
    namespace: options.namespace,
    primary: { ref: MODEL_DEPLOYMENTS },
    // The endpoint-slice controller copies the Service's labels (ours too) onto the slices it keeps: only the operator's own are cached.
    owns: OWNED_KINDS.map((ref) => ({ ref, labelSelector: ref === Resources.endpointSlices ? `${MANAGED},${LABEL_SLICE_MANAGED_BY}=${SLICE_MANAGER}` : MANAGED })),
    watches: [{
      ref: Resources.pods,
      labelSelector: MANAGED,
      transform: podForCache,
      map: (pod) => {
        const owner = pod.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT];
        return owner === undefined ? [] : [`${pod.metadata?.namespace}/${owner}`];
      },
    }, ...(options.activatorService === undefined ? [] : [{
      ref: Resources.endpointSlices,
      name: ACTIVATOR_SLICES,
      namespace: options.activatorService.namespace,
      labelSelector: `kubernetes.io/service-name=${options.activatorService.name}`,
      // Where the activator is changed: every ModelDeployment that may scale to zero looks again.
      map: () => scaleToZeroKeys(),
    }])],
    // The reconciler reads the controller's caches, so it is created below; the queue starts
    // only in controller.run(), after this function returned.
    reconcile: (key, signal): Promise<Result> => reconciler.reconcile(key, signal),
    workers: options.workers,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
  });
  const owned = new Map<string, Informer<KubeObject>>();
  for (const ref of OWNED_KINDS) owned.set(ref.plural, controller.cache(ref));
  const caches: Caches = {
    modelDeployments: controller.cache<ModelDeploymentObject>(MODEL_DEPLOYMENTS),
    deployments: controller.cache<V1Deployment & KubeObject>(Resources.deployments),
    pods: controller.cache<V1Pod & KubeObject>(Resources.pods),
    owned,
  };
  const scaleToZeroKeys = (): string[] => caches.modelDeployments.list()
    .filter((md) => md.spec.autoscaling?.minReplicas === 0)
    .map((md) => `${md.metadata?.namespace ?? ""}/${md.metadata?.name ?? ""}`);
  const activatorSlices = options.activatorService === undefined ? undefined : controller.cache<V1EndpointSlice & KubeObject>(Resources.endpointSlices, ACTIVATOR_SLICES);
  const { analyzer, webhooks, autoscaler } = options.services(caches, (key) => controller.enqueue(key));
  const reconciler: ModelDeploymentReconciler = new ModelDeploymentReconciler({
    client: options.client,
    applied: new AppliedObjects<V1Deployment & KubeObject>(options.clock),
    caches,
    catalog: options.catalog,
    settings: options.settings,
    recorder: options.recorder,
    logger: options.logger,
    clock: options.clock,
    webhooks,
    ...(autoscaler === undefined ? {} : { autoscaler }),
    ...(activatorSlices === undefined ? {} : { activatorEndpoints: () => activatorEndpointsOf(activatorSlices.list()) }),
    ...(analyzer === undefined ? {} : {
      analyzer,
      readDrift: (namespace, name, revision, signal) => analyzer.readRevisionDrift(namespace, name, revision, signal),
      readQuality: (namespace, name, revision, signal) => analyzer.readRevisionQuality(namespace, name, revision, signal),
    }),
    gatewayApiAvailable: cachedFor(GATEWAY_API_CACHE_MS, () => gatewayApiAvailable(options.client)),
    crashLogs: new CrashLogReader(options.client, options.logger),
    ...(options.modelLoadTimeoutMs === undefined ? {} : { modelLoadTimeoutMs: options.modelLoadTimeoutMs }),
    metrics: options.metrics,
    ...(options.driftCheckIntervalMs === undefined ? {} : { driftCheckIntervalMs: options.driftCheckIntervalMs }),
  });
  return controller;
}
