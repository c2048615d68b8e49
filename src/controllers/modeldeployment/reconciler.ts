// The ModelDeployment reconcile: observe from the caches, build the desired children with pure
// functions, apply what differs, retire old revisions, then write status once.
import { isDeepStrictEqual } from "node:util";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { API_VERSION, KIND, type ModelDeploymentStatus } from "../../api/index.ts";
import type { RuntimeCatalog } from "../../catalog/catalog.ts";
import type { KubeClient, KubeObject } from "../../runtime/client/kube-client.ts";
import type { EventRecorder } from "../../runtime/events.ts";
import type { Informer } from "../../runtime/informer.ts";
import { reconcileLogger, type Logger } from "../../runtime/logging.ts";
import type { Result } from "../../runtime/reconcile.ts";
import { computeStatus, transitionEvents } from "./status/index.ts";
import { applyChildren } from "./apply-children.ts";
import { converge, type Convergence } from "./converge.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "./resource.ts";
import { LABEL_MODEL_DEPLOYMENT } from "./labels.ts";
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
  recorder: EventRecorder;
  logger: Logger;
  now: () => Date;
}

export const CONTROLLER_NAME = "modeldeployment";

/**
 * Level-triggered: given only a key, converges that ModelDeployment and reports its status.
 * Configuration problems become a Stalled condition (not an error, so no retry storm); API
 * errors are thrown and retried with backoff by the queue.
 */
export class ModelDeploymentReconciler {
  private readonly deps: ReconcilerDeps;

  constructor(deps: ReconcilerDeps) {
    this.deps = deps;
  }

  readonly reconcile = async (key: string): Promise<Result> => {
    const md = this.deps.caches.modelDeployments.get(key);
    if (md === undefined || md.metadata?.deletionTimestamp !== undefined) return undefined; // children are garbage-collected
    const log = reconcileLogger(this.deps.logger, CONTROLLER_NAME, key);

    const convergence = await converge(md, this.deps, log);
    let failure: Error | undefined;
    try {
      const conflict = await applyChildren(md, convergence, this.deps, log);
      if (conflict !== undefined) convergence.problem = conflict;
    } catch (error) {
      // Status is still written (once), saying what failed; the error then goes to the queue for a retry.
      failure = error instanceof Error ? error : new Error(String(error));
      convergence.problem = { kind: "Transient", reason: "ApplyFailed", message: failure.message };
    }
    const previous = md.status;
    const next = computeStatus(this.observe(md, convergence), previous);
    await this.writeStatus(md, previous, next, log);
    if (failure !== undefined) throw failure;
    return convergence.requeueAfterMs === undefined ? undefined : { requeueAfter: convergence.requeueAfterMs };
  };

  private observe(md: ModelDeploymentObject, c: Convergence): Parameters<typeof computeStatus>[0] {
    const name = md.metadata?.name ?? "";
    const namespace = md.metadata?.namespace ?? "";
    const mine = (o: KubeObject): boolean =>
      o.metadata?.namespace === namespace && o.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT] === name;
    return {
      generation: md.metadata?.generation ?? 0,
      spec: md.spec,
      name,
      namespace,
      revision: c.revision ?? "",
      modelVersion: c.modelVersion,
      deployments: this.deps.caches.deployments.list().filter((d) => mine(d) && ownedBy(d, md)),
      pods: this.deps.caches.pods.list().filter(mine),
      problem: c.problem,
      suspended: md.spec.suspend === true,
      serviceUrl: `http://${name}.${namespace}.svc.cluster.local`,
      now: this.deps.now(),
    };
  }

  private async writeStatus(md: ModelDeploymentObject, previous: ModelDeploymentStatus | undefined, next: ModelDeploymentStatus, log: Logger): Promise<void> {
    if (isDeepStrictEqual(normalise(previous), normalise(next))) return;
    await this.deps.client.apply(MODEL_DEPLOYMENTS, {
      apiVersion: API_VERSION, kind: KIND,
      metadata: { name: md.metadata?.name, namespace: md.metadata?.namespace },
      status: next,
    } as KubeObject, { subresource: "status" });
    log.info("Updated ModelDeployment status", { phase: next.phase, observedGeneration: next.observedGeneration });
    for (const event of transitionEvents(previous, next)) {
      await this.deps.recorder.record(md, event);
    }
  }
}

/** True when `child` has `md` as its controller owner (by uid). */
export function ownedBy(child: KubeObject, md: KubeObject): boolean {
  return child.metadata?.ownerReferences?.some((o) => o.controller === true && o.uid === md.metadata?.uid) ?? false;
}

function normalise(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
