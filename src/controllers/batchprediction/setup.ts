// Declares the BatchPrediction controller's watches: for(BatchPrediction).owns(CronJob)
// .watches(Job → its BatchPrediction label, since a schedule's Jobs belong to the CronJob)
// .watches(worker Pod → its BatchPrediction label)
// .watches(ModelDeployment → the BatchPredictions that reference it: a run waiting for it starts
// when it serves, and a schedule's CronJob follows its stable revision).
import type { V1CronJob, V1Job, V1Pod } from "@kubernetes/client-node";
import type { RuntimeCatalog } from "../../catalog/catalog.ts";
import type { KubeClient, KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources } from "../../runtime/client/resource.ts";
import type { Clock } from "../../runtime/clock.ts";
import { Controller } from "../../runtime/controller.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import type { ListWatcher } from "../../runtime/informer.ts";
import type { Logger } from "../../runtime/logging.ts";
import type { OperatorMetrics } from "../../runtime/metrics.ts";
import type { Result } from "../../runtime/reconcile.ts";
import { LABEL_MANAGED_BY, MANAGED_BY } from "../modeldeployment/labels.ts";
import type { OperatorSettings } from "../modeldeployment/settings.ts";
import { LABEL_BATCH_PREDICTION } from "./labels.ts";
import { BATCH_CONTROLLER_NAME, BatchPredictionReconciler } from "./reconciler.ts";
import { BATCH_PREDICTIONS, type BatchPredictionObject } from "./resource.ts";
import { workerPodForCache } from "./pod-cache.ts";
import { modelDeploymentForCache, referencedModelDeployment } from "./model-deployment-cache.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../modeldeployment/resource.ts";

export interface BatchPredictionControllerOptions {
  client: KubeClient;
  catalog: RuntimeCatalog;
  settings: OperatorSettings;
  recorder: EventRecorder;
  logger: Logger;
  metrics: OperatorMetrics;
  clock: Clock;
  namespace?: string;
  workers?: number;
  listWatcher?: ListWatcher;
}

const MANAGED_JOBS = `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_BATCH_PREDICTION}`;

function keyOf(object: KubeObject): string[] {
  const name = object.metadata?.labels?.[LABEL_BATCH_PREDICTION];
  return name === undefined ? [] : [`${object.metadata?.namespace ?? ""}/${name}`];
}

const MODEL_DEPLOYMENTS_WATCH = "batch-model-deployments";

export function batchPredictionController(options: BatchPredictionControllerOptions): Controller {
  /** Keys of the BatchPredictions in `md`'s namespace whose spec.modelDeploymentRef names it. */
  const referencing = (md: KubeObject): string[] => controller.cache<BatchPredictionObject>(BATCH_PREDICTIONS).list()
    .filter((bp) => bp.metadata?.namespace === md.metadata?.namespace && referencedModelDeployment(bp) === md.metadata?.name)
    .map((bp) => `${bp.metadata?.namespace ?? ""}/${bp.metadata?.name ?? ""}`);
  const controller: Controller = new Controller({
    name: BATCH_CONTROLLER_NAME,
    client: options.listWatcher ?? options.client,
    namespace: options.namespace,
    primary: { ref: BATCH_PREDICTIONS },
    owns: [{ ref: Resources.cronJobs, labelSelector: MANAGED_JOBS }],
    watches: [
      { ref: Resources.jobs, name: "batch-jobs", labelSelector: MANAGED_JOBS, map: keyOf },
      { ref: Resources.pods, name: "batch-pods", labelSelector: LABEL_BATCH_PREDICTION, transform: workerPodForCache, map: keyOf },
      { ref: MODEL_DEPLOYMENTS, name: MODEL_DEPLOYMENTS_WATCH, transform: modelDeploymentForCache, map: (md) => referencing(md) },
    ],
    reconcile: (key, signal): Promise<Result> => reconciler.reconcile(key, signal),
    workers: options.workers,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
  });
  const reconciler = new BatchPredictionReconciler({
    client: options.client,
    caches: {
      batchPredictions: controller.cache<BatchPredictionObject>(BATCH_PREDICTIONS),
      jobs: controller.cache<V1Job & KubeObject>(Resources.jobs, "batch-jobs"),
      cronJobs: controller.cache<V1CronJob & KubeObject>(Resources.cronJobs),
      pods: controller.cache<V1Pod & KubeObject>(Resources.pods, "batch-pods"),
      modelDeployments: controller.cache<ModelDeploymentObject>(MODEL_DEPLOYMENTS, MODEL_DEPLOYMENTS_WATCH),
    },
    catalog: options.catalog,
    settings: options.settings,
    recorder: options.recorder,
    logger: options.logger,
    clock: options.clock,
  });
  return controller;
}
