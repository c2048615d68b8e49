/**
 * What the reconcile saw and decided, handed to {@link computeStatus}: everything the status
 * depends on, so the computation is pure and the same observation always gives the same status.
 */
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import type { ModelDeploymentSpec, ModelDeploymentStatus } from "../../../api/index.ts";
import type { DriftOutcome } from "../drift/status.ts";
import type { PerformanceOutcome } from "../performance/status.ts";
import type { AutoscalingOutcome } from "./autoscaling.ts";
import type { RolloutOutcome } from "./rollout-fields.ts";

/**
 * A problem the reconcile found before or while applying the desired state.
 * - `Stalled`: only a person can fix it (invalid spec, unknown runtime, missing Secret); the
 *   reconcile does not retry. Sets Stalled=True and Ready=False.
 * - `Transient`: retrying may fix it (API errors, conflicts); the reconcile retries with backoff.
 *   Sets Reconciling=True and Ready=False.
 * `reason` must be CamelCase; `message` should say what to change.
 */
export interface Problem {
  reason: string;
  message: string;
  kind: "Stalled" | "Transient";
}

export interface Observation {
  /** metadata.generation of the ModelDeployment: becomes status.observedGeneration. */
  generation: number;
  /** The parsed spec. */
  spec: ModelDeploymentSpec;
  name: string;
  namespace: string;
  /** The desired (current) revision: the one the spec asks for. */
  revision: string;
  /** Model version of the current revision (spec.model.version or derived from the URI). */
  modelVersion: string;
  /** Deployments owned by the ModelDeployment; label mdo.dev/revision names each one's revision. */
  deployments: readonly V1Deployment[];
  /** Pods of the ModelDeployment (label mdo.dev/model-deployment), of every revision. */
  pods: readonly V1Pod[];
  /** A problem the reconcile found, if any. */
  problem?: Problem;
  /**
   * Set while a Canary or BlueGreen rollout is in progress: the work in progress (reason and
   * message) in place of the one read from replica counts.
   */
  rolloutProgress?: { reason: string; message: string };
  /** spec.suspend: the operator changes nothing while true. */
  suspended: boolean;
  /**
   * What the operator filled in for the spec (defaults.ts), once the runtime was resolved this
   * reconcile; absent when it was not (status.defaults then stays as it was).
   */
  defaults?: { applied?: NonNullable<ModelDeploymentStatus["defaults"]> };
  /**
   * The operator's autoscaler, when it sized the serving revision this reconcile (concurrency or
   * rps, no rollout running). Absent with a decision: status.autoscaling goes; absent without
   * one (the reconcile stopped before deciding): it stays as it was.
   */
  autoscaling?: AutoscalingOutcome;
  /** In-cluster URL of the Service, such as http://fraud.ml.svc.cluster.local. */
  serviceUrl: string;
  /**
   * Error lines of the last run of crash-looping containers that exited without a termination
   * message, by `<pod>/<container>` (see CrashLogReader); absent when none was read.
   */
  crashLogs?: ReadonlyMap<string, string>;
  /** How long a running container may stay unready before it is ModelNotLoaded (default 10 min). */
  modelLoadTimeoutMs?: number;
  /**
   * This reconcile's rollout decision, when one was made (the reconcile got as far as deciding):
   * then it owns stable, canary, traffic, history and rollout (see rollout-fields.ts).
   */
  rollout?: RolloutOutcome;
  /** Drift monitoring; present only while spec.monitoring.drift is set. Owns drift and DataDrift. */
  drift?: DriftOutcome;
  /** Ground-truth monitoring; present only while spec.monitoring.groundTruth is set. Owns performance and ModelPerformance. */
  performance?: PerformanceOutcome;
  /**
   * The time of the observation (read once from the operator's clock): stamps transitions, the
   * analysis and history entries, and judges how long pods have waited.
   */
  now: Date;
}
