/**
 * Finds the most significant failure among a ModelDeployment's pods, for conditions and
 * status.lastFailure. Pure: `now` is passed in.
 *
 * Priority, most significant first (ties go to the pod whose name sorts first, then to the
 * container listed first, init containers before the others):
 *  1. InvalidImageName, ErrImageNeverPull, CreateContainerConfigError: configuration errors that
 *     never fix themselves (a bad image reference, a missing Secret or ConfigMap key).
 *  2. ImagePullBackOff, then ErrImagePull: the image cannot be fetched.
 *  3. ModelFetchFailed: an init container that fetches or verifies the model failed; nothing
 *     else starts.
 *  4. OOMKilled, then CrashLoopBackOff: the server crashes (OOM is the more specific cause).
 *  5. Unschedulable: the scheduler cannot place the pod (the cluster autoscaler may still help).
 *  6. ModelNotLoaded: the containers run but one stays unready past the load timeout.
 *  7. Evicted: a recent eviction; the Deployment already replaced the pod.
 * Terminating pods, and finished pods other than recent evictions, are ignored.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { DeliveryFailureReasons } from "../../../delivery/errors.ts";
import { fetcherFailure, serverFailure } from "./container-failures.ts";
import { PodFailureReasons as R } from "./reasons.ts";
import type { PodDiagnosis, PodFailureReason } from "./reasons.ts";

export type { PodDiagnosis } from "./reasons.ts";
import { millisOf } from "./wire-time.ts";


export interface DiagnoseOptions {
  /** How long a running container may stay unready before it is ModelNotLoaded. Default 10m. */
  modelLoadTimeoutMs?: number;
  /** How long an eviction stays worth reporting. Default 1h. */
  evictionWindowMs?: number;
  /** Log excerpts of crash-looping containers' last runs, by `<pod>/<container>`. */
  crashLogs?: ReadonlyMap<string, string>;
}

export const DEFAULT_MODEL_LOAD_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_EVICTION_WINDOW_MS = 60 * 60_000;

const PRIORITY: readonly PodFailureReason[] = [
  R.InvalidImageName, R.ErrImageNeverPull, R.CreateContainerConfigError, R.ImagePullBackOff, R.ErrImagePull,
  ...Object.values(DeliveryFailureReasons), R.OOMKilled, R.CrashLoopBackOff, R.Unschedulable, R.ModelNotLoaded, R.Evicted,
];

/** The most significant failure among `pods`, or undefined when none is failing. */
export function diagnosePods(pods: readonly V1Pod[], now: Date, options: DiagnoseOptions = {}): PodDiagnosis | undefined {
  const limits = {
    now: now.getTime(),
    modelLoadTimeoutMs: options.modelLoadTimeoutMs ?? DEFAULT_MODEL_LOAD_TIMEOUT_MS,
    evictionWindowMs: options.evictionWindowMs ?? DEFAULT_EVICTION_WINDOW_MS,
    crashLogs: options.crashLogs ?? new Map<string, string>(),
  };
  const sorted = [...pods].sort((a, b) => compareStrings(podName(a), podName(b)));
  let best: PodDiagnosis | undefined;
  for (const pod of sorted) {
    for (const found of diagnosePod(pod, limits)) {
      if (best === undefined || PRIORITY.indexOf(found.reason) < PRIORITY.indexOf(best.reason)) best = found;
    }
  }
  return best;
}

interface Limits {
  now: number;
  modelLoadTimeoutMs: number;
  evictionWindowMs: number;
  crashLogs: ReadonlyMap<string, string>;
}

function diagnosePod(pod: V1Pod, limits: Limits): PodDiagnosis[] {
  if (pod.metadata?.deletionTimestamp !== undefined) return [];
  const name = podName(pod);
  const status = pod.status;
  if (status?.phase === "Failed" || status?.phase === "Succeeded") {
    return status.reason === "Evicted" && isRecentEviction(pod, limits) ? [evicted(pod, name)] : [];
  }
  const found: PodDiagnosis[] = [];
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  for (const c of status?.initContainerStatuses ?? []) {
    const finding = sidecars.has(c.name) ? serverFailure(pod, c, limits) : fetcherFailure(pod, c);
    if (finding !== undefined) found.push(finding);
  }
  for (const c of status?.containerStatuses ?? []) {
    const finding = serverFailure(pod, c, limits);
    if (finding !== undefined) found.push(finding);
  }
  const scheduled = status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
    const hint = "lower spec.resources.requests, relax spec.nodeSelector or spec.tolerations, or add capacity";
    const message = `pod ${name} cannot be scheduled: ${scheduled.message ?? "no node fits"}; ${hint}`;
    found.push({ reason: R.Unschedulable, message, pod: name, persistent: false });
  }
  return found;
}

/**
 * Milliseconds until the diagnosis of `pods` can change by time alone — a running, unready
 * container reaching the model load timeout — or undefined when nothing is waiting on the clock.
 * The reconcile requeues then: an unready probe changes no pod status, so no event would come.
 */
export function nextDiagnosisChangeMs(pods: readonly V1Pod[], now: Date, modelLoadTimeoutMs = DEFAULT_MODEL_LOAD_TIMEOUT_MS): number | undefined {
  let next: number | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase !== "Running") continue;
    for (const c of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) {
      const started = millisOf(c.state?.running?.startedAt);
      if (c.ready || started === undefined) continue;
      const due = started + modelLoadTimeoutMs - now.getTime();
      if (due > 0 && (next === undefined || due < next)) next = due;
    }
  }
  return next;
}

function evicted(pod: V1Pod, name: string): PodDiagnosis {
  const hint = "the Deployment replaced it; if it recurs, raise spec.resources.requests so the scheduler reserves enough";
  return { reason: R.Evicted, message: `pod ${name} was evicted: ${pod.status?.message ?? "no message"}; ${hint}`, pod: name, persistent: false };
}

/** When the eviction happened: the DisruptionTarget or Ready condition's transition time. */
function isRecentEviction(pod: V1Pod, limits: Limits): boolean {
  const conditions = pod.status?.conditions ?? [];
  const at = ["DisruptionTarget", "Ready"]
    .map((type) => millisOf(conditions.find((c) => c.type === type)?.lastTransitionTime))
    .find((ms) => ms !== undefined);
  return at !== undefined && limits.now - at < limits.evictionWindowMs;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? "";
}
