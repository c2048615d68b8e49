/**
 * Where the rollout stands, read from the ModelDeployment's Deployments (one per revision,
 * labelled mdo.dev/revision): is the current revision fully rolled out, and do older revisions
 * still run? Pure.
 */
import type { V1Deployment } from "@kubernetes/client-node";
import { childNames, LABEL_REVISION } from "../labels.ts";
import type { Observation } from "./observation.ts";
import { ReconcilingReasons } from "./reasons.ts";

/** Replica counts of one revision's Deployment. */
export interface RevisionReplicas {
  revision: string;
  /** Name of the Deployment. */
  deployment: string;
  /** Replicas the Deployment asks for (its spec.replicas, set by MDO or the autoscaler). */
  target: number;
  replicas: number;
  updated: number;
  ready: number;
  available: number;
  /** The Deployment controller has acted on the Deployment's latest spec. */
  observed: boolean;
}

export interface RolloutAssessment {
  /** The current revision's Deployment; undefined until it exists. */
  current?: RevisionReplicas;
  /** Other revisions that still have replicas, running or asked for. */
  older: RevisionReplicas[];
  /** Replicas the spec asks for: spec.replicas, or autoscaling.minReplicas. */
  desired: number;
  /**
   * The current revision is fully rolled out: its Deployment observed its latest generation, and
   * updated == replicas == ready == available == the Deployment's target, at least `desired`.
   */
  complete: boolean;
  /** Set when the current Deployment reports Progressing=False, ProgressDeadlineExceeded. */
  deadlineExceeded?: string;
  /** Replicas of all revisions (status.replicas of every Deployment summed). */
  replicas: number;
  /** Ready replicas of all revisions. */
  readyReplicas: number;
}

/** Work in progress, as the Reconciling condition reports it. */
export interface Progress {
  reason: string;
  message: string;
}

type RolloutInput = Pick<Observation, "deployments" | "revision" | "spec">;

export function assessRollout(obs: RolloutInput): RolloutAssessment {
  const all = obs.deployments.map(replicasOf);
  const currentIndex = all.findIndex((r) => r.revision === obs.revision);
  const current = all[currentIndex];
  const older = all.filter((r, i) => i !== currentIndex && (r.target > 0 || r.replicas > 0));
  const desired = obs.spec.replicas ?? obs.spec.autoscaling?.minReplicas ?? 1;
  const complete =
    current !== undefined &&
    current.observed &&
    current.updated === current.replicas &&
    current.ready === current.replicas &&
    current.available === current.replicas &&
    current.replicas === current.target &&
    current.ready >= desired;
  const deadline = obs.deployments[currentIndex]?.status?.conditions?.find(
    (c) => c.type === "Progressing" && c.status === "False" && c.reason === "ProgressDeadlineExceeded",
  );
  return {
    ...(current === undefined ? {} : { current }),
    older,
    desired,
    complete,
    ...(deadline === undefined ? {} : { deadlineExceeded: deadline.message ?? "progress deadline exceeded" }),
    replicas: sum(all.map((r) => r.replicas)),
    readyReplicas: sum(all.map((r) => r.ready)),
  };
}

/**
 * The work still in progress, or undefined when the current revision is rolled out and no older
 * revision runs. `isNewRevision` tells a rollout (the revision was never stable) from scaling.
 */
export function progressOf(
  rollout: RolloutAssessment,
  obs: Pick<Observation, "name" | "revision" | "modelVersion">,
  isNewRevision: boolean,
): Progress | undefined {
  const { current } = rollout;
  const reason = isNewRevision ? ReconcilingReasons.RollingOut : ReconcilingReasons.Scaling;
  const what = isNewRevision
    ? `rolling out revision ${obs.revision} (model ${obs.modelVersion})`
    : `scaling revision ${obs.revision}`;
  if (current === undefined) {
    const name = childNames.deployment(obs.name, obs.revision);
    return { reason, message: `${what}: waiting for Deployment ${name} to be created` };
  }
  if (!current.observed) {
    return { reason, message: `${what}: waiting for the Deployment controller to observe Deployment ${current.deployment}` };
  }
  if (!rollout.complete) {
    const target = Math.max(current.target, rollout.desired);
    const counts = `${current.ready} of ${target} replicas ready, ${current.updated} updated`;
    const more = current.replicas > target ? `, ${current.replicas - target} extra terminating` : "";
    return { reason, message: `${what}: ${counts}${more} (Deployment ${current.deployment})` };
  }
  if (rollout.older.length > 0) {
    const olds = rollout.older.map((r) => `${r.revision} (${r.replicas} replicas)`).join(", ");
    return {
      reason: ReconcilingReasons.RetiringRevision,
      message: `revision ${obs.revision} is ready; waiting for older revisions to scale down: ${olds}`,
    };
  }
  return undefined;
}

function replicasOf(d: V1Deployment): RevisionReplicas {
  const status = d.status ?? {};
  const generation = d.metadata?.generation;
  const observedGeneration = status.observedGeneration;
  const name = d.metadata?.name ?? "";
  return {
    revision: d.metadata?.labels?.[LABEL_REVISION] ?? name,
    deployment: name,
    target: d.spec?.replicas ?? 1,
    replicas: status.replicas ?? 0,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    observed: observedGeneration !== undefined && (generation === undefined || observedGeneration >= generation),
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
