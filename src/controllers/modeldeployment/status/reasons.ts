/**
 * Condition types and reasons the status computation writes. Reasons are CamelCase and stable:
 * automation may match on them, so renaming one is an API change.
 */
import type { ConditionType } from "../../../api/index.ts";
import { DeliveryFailureReasons } from "../../../delivery/errors.ts";

/** The condition types {@link computeStatus} owns; other types in status are left as they are. */
export const ConditionTypes = {
  Ready: "Ready",
  Reconciling: "Reconciling",
  Stalled: "Stalled",
  Available: "Available",
} as const satisfies Record<string, ConditionType>;

/** Reasons of the Reconciling condition (True while work is in progress). */
export const ReconcilingReasons = {
  /** A revision that was never stable is coming up (also the first revision). */
  RollingOut: "RollingOut",
  /** The stable revision's replica count is changing (spec or autoscaler). */
  Scaling: "Scaling",
  /** The current revision is ready; older revisions still have replicas. */
  RetiringRevision: "RetiringRevision",
  /** False: the current revision is rolled out and nothing else is in progress. */
  UpToDate: "UpToDate",
  /** False: spec.suspend is true, the operator changes nothing. */
  Suspended: "Suspended",
  /** False: Stalled is True, nothing progresses without a change. */
  Stalled: "Stalled",
} as const;

/** Reasons of the Ready condition besides those it shares with Reconciling, Stalled and pods. */
export const ReadyReasons = {
  /** True: the current revision is fully rolled out and is the only one running. */
  RolledOut: "RolledOut",
} as const;

/** Reasons of the Stalled condition besides problem reasons from reconcile and pod reasons. */
export const StalledReasons = {
  /** False: nothing blocks progress. */
  AsExpected: "AsExpected",
  /** The current revision's Deployment reports Progressing=False, ProgressDeadlineExceeded. */
  ProgressDeadlineExceeded: "ProgressDeadlineExceeded",
} as const;

/** Reasons of the Available condition. */
export const AvailableReasons = {
  MinimumReplicasAvailable: "MinimumReplicasAvailable",
  MinimumReplicasUnavailable: "MinimumReplicasUnavailable",
  /** spec.replicas is 0 and the revision has scaled down: nothing serves, on purpose. */
  ScaledToZero: "ScaledToZero",
} as const;

/** Pod failure reasons from {@link diagnosePods}, most significant first. */
export const PodFailureReasons = {
  InvalidImageName: "InvalidImageName",
  ErrImageNeverPull: "ErrImageNeverPull",
  CreateContainerConfigError: "CreateContainerConfigError",
  ImagePullBackOff: "ImagePullBackOff",
  ErrImagePull: "ErrImagePull",
  /**
   * The fetcher or verifier init container failed; its termination message names why
   * (ModelDigestMismatch, ModelAccessDenied, ModelNotFound, …), else ModelFetchFailed.
   */
  ModelAccessDenied: DeliveryFailureReasons.AccessDenied,
  ModelNotFound: DeliveryFailureReasons.NotFound,
  ModelStorageUnreachable: DeliveryFailureReasons.Unreachable,
  ModelDiskFull: DeliveryFailureReasons.DiskFull,
  ModelArchiveCorrupt: DeliveryFailureReasons.ArchiveCorrupt,
  ModelDigestMismatch: DeliveryFailureReasons.DigestMismatch,
  InvalidModelURI: DeliveryFailureReasons.InvalidUri,
  ModelLayoutFailed: DeliveryFailureReasons.LayoutFailed,
  ModelFetchFailed: DeliveryFailureReasons.Failed,
  OOMKilled: "OOMKilled",
  CrashLoopBackOff: "CrashLoopBackOff",
  Unschedulable: "Unschedulable",
  ModelNotLoaded: "ModelNotLoaded",
  Evicted: "Evicted",
} as const;
export type PodFailureReason = (typeof PodFailureReasons)[keyof typeof PodFailureReasons];

/** Reasons of the Events {@link transitionEvents} emits besides condition and failure reasons. */
export const EventReasons = {
  Ready: "Ready",
  NotReady: "NotReady",
  Recovered: "Recovered",
  RollingOut: "RollingOut",
  Promoted: "Promoted",
} as const;

export interface PodDiagnosis {
  reason: PodFailureReason;
  /** Names the pod and container, carries the underlying message, and says what to change. */
  message: string;
  pod: string;
  container?: string;
  /**
   * True when only a change can fix it, or Kubernetes already retried and is backing off
   * (ImagePullBackOff, CrashLoopBackOff, a config error): the status marks it Stalled.
   */
  persistent: boolean;
}
