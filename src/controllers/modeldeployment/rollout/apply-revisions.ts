// Applies what a rollout decision asks of revisions other than the spec's own: their replica
// counts (through the scale subresource, so nothing else of their Deployment changes) and their
// retirement (Deployment, HPA and agent ConfigMap deleted), and which revision an HPA sizes.
import type { V1Deployment } from "@kubernetes/client-node";
import type { KubeObject } from "../../../runtime/client/kube-client.ts";
import { Resources } from "../../../runtime/client/resource.ts";
import type { Logger } from "../../../runtime/logging.ts";
import { childNames, LABEL_REVISION } from "../labels.ts";
import type { ReconcilerDeps } from "../deps.ts";
import type { ModelDeploymentObject } from "../resource.ts";
import { ownedChildren } from "./owned.ts";

/**
 * Sets the replicas of each revision in `replicas` other than `current` whose Deployment exists,
 * asks for something else, and moves in `direction` (up: more replicas, down: fewer), so callers
 * can grow before they shrink.
 */
export async function scaleOtherRevisions(
  md: ModelDeploymentObject, replicas: ReadonlyMap<string, number>, current: string, direction: "up" | "down", deps: ReconcilerDeps, log: Logger,
): Promise<void> {
  const name = md.metadata?.name ?? "";
  const namespace = md.metadata?.namespace ?? "";
  for (const [revision, want] of replicas) {
    if (revision === current) continue;
    const deployment = deps.caches.deployments.get(`${namespace}/${childNames.deployment(name, revision)}`);
    if (deployment === undefined) continue;
    const have = deployment.spec?.replicas ?? 1;
    if (have === want || (direction === "up") !== (want > have)) continue;
    await deps.client.apply(Resources.deployments, {
      apiVersion: "autoscaling/v1", kind: "Scale",
      metadata: { name: deployment.metadata?.name, namespace },
      spec: { replicas: want },
    } as KubeObject, { subresource: "scale" });
    log.info("Scaled revision", { revision, from: have, to: want });
  }
}

/**
 * Deletes the Deployment, HPA and agent ConfigMap of every revision in `retire`, and of every
 * revision not in `keep` once `keepServes` (a leftover no rollout refers to any more).
 */
export async function retireRevisions(
  md: ModelDeploymentObject, retire: readonly string[], keep: ReadonlySet<string>, keepServes: boolean, deps: ReconcilerDeps, log: Logger,
): Promise<void> {
  const wanted = new Set(retire);
  for (const ref of [Resources.deployments, Resources.horizontalPodAutoscalers, Resources.configMaps]) {
    for (const object of ownedChildren(md, deps, ref)) {
      const revision = object.metadata?.labels?.[LABEL_REVISION];
      if (revision === undefined) continue;
      const leftover = !keep.has(revision) && keepServes;
      if (!wanted.has(revision) && !leftover) continue;
      await deps.client.delete(ref, object.metadata?.namespace, object.metadata?.name ?? "", { uid: object.metadata?.uid });
      log.info(`Deleted ${ref.kind} of retired revision`, { child: object.metadata?.name, revision });
    }
  }
}

/**
 * Deletes every HPA of the ModelDeployment except `keep`'s (all of them when undefined). While a
 * rollout runs, its plan sizes every revision (ADR 0005), and an HPA left on the stable revision
 * would undo the split: even without metrics it holds its target at minReplicas.
 */
export async function deleteAutoscalersExcept(md: ModelDeploymentObject, keep: string | undefined, deps: ReconcilerDeps, log: Logger): Promise<void> {
  for (const hpa of ownedChildren(md, deps, Resources.horizontalPodAutoscalers)) {
    const revision = hpa.metadata?.labels?.[LABEL_REVISION];
    if (revision === undefined || revision === keep) continue;
    await deps.client.delete(Resources.horizontalPodAutoscalers, hpa.metadata?.namespace, hpa.metadata?.name ?? "", { uid: hpa.metadata?.uid });
    log.info("Deleted the HPA of a revision the rollout sizes", { child: hpa.metadata?.name, revision });
  }
}

/** The Deployment's controller has seen its latest spec and every desired replica is updated and available. */
export function isRolledOut(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
    && (s.updatedReplicas ?? 0) >= want
    && (s.availableReplicas ?? 0) >= want
    && (s.replicas ?? 0) === (s.updatedReplicas ?? 0);
}
