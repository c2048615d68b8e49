/**
 * Failures of one container, read from its status in the pod. Used by diagnosePods, which ranks
 * them; each message names the pod and container, carries the kubelet's words and says what to
 * change.
 */
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { PodDiagnosis } from "./reasons.ts";
import { DeliveryFailureReasons as D } from "../../../delivery/errors.ts";
import { parseTerminationMessage } from "../../../delivery/termination.ts";
import { crashLogKey } from "./log-excerpt.ts";
import { PodFailureReasons as R } from "./reasons.ts";
import type { PodFailureReason } from "./reasons.ts";
import { millisOf } from "./wire-time.ts";

/** What serverFailure judges by: the time, the load timeout, and crash-log excerpts by `<pod>/<container>`. */
export interface ServerLimits {
  now: number;
  modelLoadTimeoutMs: number;
  crashLogs?: ReadonlyMap<string, string>;
}

const IMAGE_HINT = "check the image reference (spec.image or the runtime's image) and that the registry is reachable";

/** Waiting reasons any container can have, whether they are persistent, and what to change. */
const WAITING_FAILURES: ReadonlyMap<string, { reason: PodFailureReason; persistent: boolean; hint: string }> = new Map([
  [R.InvalidImageName, { reason: R.InvalidImageName, persistent: true, hint: "fix spec.image or the runtime's image" }],
  [R.ErrImageNeverPull, { reason: R.ErrImageNeverPull, persistent: true, hint: `the image is not on the node and its pull policy is Never; ${IMAGE_HINT}` }],
  [R.CreateContainerConfigError, {
    reason: R.CreateContainerConfigError,
    persistent: true,
    hint: "create the missing Secret or ConfigMap (or key), or fix the reference in the spec",
  }],
  [R.ImagePullBackOff, { reason: R.ImagePullBackOff, persistent: true, hint: IMAGE_HINT }],
  [R.ErrImagePull, { reason: R.ErrImagePull, persistent: false, hint: IMAGE_HINT }],
]);

/** Delivery failures that the next attempt will meet again: Stalled at once, not after back-off. */
const DETERMINISTIC: ReadonlySet<string> = new Set([
  D.DigestMismatch, D.AccessDenied, D.NotFound, D.InvalidUri, D.ArchiveCorrupt, D.LayoutFailed, D.DiskFull,
]);

/** True for a delivery failure no retry fixes (a person must change the spec, the Secret or the store). */
export function isUndeliverable(reason: string): boolean {
  return DETERMINISTIC.has(reason);
}

/**
 * An init container that prepares the model (the fetcher, the digest verifier) and must exit 0
 * before the server starts: an image or configuration failure, else — when it exited non-zero —
 * the reason its termination message names ("ModelDigestMismatch: …", see
 * src/delivery/termination.ts), or ModelFetchFailed when it left none. Persistent once the
 * kubelet backs off restarting it, or at once for failures a retry cannot fix (DETERMINISTIC).
 */
export function fetcherFailure(pod: V1Pod, c: V1ContainerStatus): PodDiagnosis | undefined {
  const waiting = waitingFailure(pod, c);
  if (waiting !== undefined) return waiting;
  const backingOff = c.state?.waiting?.reason === "CrashLoopBackOff";
  const exit = c.state?.terminated ?? (backingOff ? c.lastState?.terminated : undefined);
  if (exit === undefined || exit.exitCode === 0) return undefined;
  const delivery = parseTerminationMessage(exit.message);
  if (delivery !== undefined) {
    return {
      reason: delivery.reason,
      message: `pod ${nameOf(pod)} init container ${c.name}: ${delivery.message}`,
      pod: nameOf(pod),
      container: c.name,
      persistent: backingOff || DETERMINISTIC.has(delivery.reason),
    };
  }
  const why = [`exit code ${exit.exitCode}`, exit.reason].filter((s) => s !== undefined).join(", ");
  const hint = "check spec.model.uri, spec.model.storageSecretRef, spec.model.digest and that the storage is reachable";
  return {
    reason: R.ModelFetchFailed,
    message: `pod ${nameOf(pod)} init container ${c.name} failed to fetch or verify the model (${why})${suffix(": ", exit.message?.trim())}; ${hint}`,
    pod: nameOf(pod),
    container: c.name,
    persistent: backingOff,
  };
}

/**
 * How long after a container's last exit it still counts as crash-looping while its pod is not
 * Ready: the kubelet's restart back-off grows to 5 minutes and resets after 10 minutes of running.
 */
export const CRASH_LOOP_WINDOW_MS = 10 * 60_000;

/**
 * True when `c` is somewhere in a crash loop: waiting in CrashLoopBackOff, or — while its pod is
 * not Ready — just exited again, or running again within CRASH_LOOP_WINDOW_MS of its last exit.
 * Judging the whole loop, not only its back-off phase, keeps status from flapping between
 * CrashLoopBackOff and the other containers' unreadiness as the kubelet restarts the container.
 */
export function isCrashLooping(pod: V1Pod, c: V1ContainerStatus, now: number): boolean {
  if (c.state?.waiting?.reason === "CrashLoopBackOff") return true;
  if (c.restartCount === 0 || podReady(pod)) return false;
  if (c.state?.terminated !== undefined) return true;
  const lastExit = millisOf(c.lastState?.terminated?.finishedAt);
  return lastExit !== undefined && now - lastExit < CRASH_LOOP_WINDOW_MS;
}

/**
 * A long-running container (model server, agent, native sidecar) that is failing: an image or
 * configuration failure, OOMKilled (from its current or last termination), a crash loop
 * (CrashLoopBackOff, see isCrashLooping; also reported for a container that is up again between
 * two crashes), or ModelNotLoaded when it has run unready for `modelLoadTimeoutMs`. A ready
 * container that is not crash-looping has none. A crash loop whose last run left no termination
 * message (it exited 0) carries that run's log excerpt from `limits.crashLogs`, when the
 * reconcile read one.
 */
export function serverFailure(pod: V1Pod, c: V1ContainerStatus, limits: ServerLimits): PodDiagnosis | undefined {
  const { now, modelLoadTimeoutMs } = limits;
  const waiting = waitingFailure(pod, c);
  if (waiting !== undefined) return waiting;
  const looping = isCrashLooping(pod, c, now);
  if (c.ready && !looping) return undefined;
  const name = nameOf(pod);
  const at = { pod: name, container: c.name };
  const exit = c.state?.terminated ?? c.lastState?.terminated;
  if (exit?.reason === "OOMKilled") {
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((s) => s.name === c.name);
    const limit = spec?.resources?.limits?.["memory"];
    const hint = limit === undefined ? "set spec.resources.limits.memory above the model's peak use" : "raise spec.resources.limits.memory";
    const message = `pod ${name} container ${c.name} was OOMKilled (memory limit ${limit ?? "unset"}); ${hint}`;
    return { reason: R.OOMKilled, message, ...at, persistent: looping };
  }
  if (looping) {
    const last = c.state?.terminated ?? c.lastState?.terminated;
    const said = last?.message?.trim() || limits.crashLogs?.get(crashLogKey(name, c.name));
    const lastExit =
      last === undefined ? "" : `; last exit code ${last.exitCode}${suffix(" (", last.reason, ")")}${suffix(": ", said)}`;
    const kubelet = c.state?.waiting?.message ?? `CrashLoopBackOff: restarted ${c.restartCount} time${c.restartCount === 1 ? "" : "s"}`;
    const message = `pod ${name} container ${c.name}: ${kubelet}${lastExit}; see \`${logsCommand(pod, c)} --previous\``;
    return { reason: R.CrashLoopBackOff, message, ...at, persistent: true };
  }
  const started = millisOf(c.state?.running?.startedAt);
  if (pod.status?.phase === "Running" && started !== undefined && now - started >= modelLoadTimeoutMs) {
    const within = formatDuration(modelLoadTimeoutMs);
    const message = `pod ${name} container ${c.name} has not become ready within ${within} of starting: the model has not loaded; see \`${logsCommand(pod, c)}\``;
    return { reason: R.ModelNotLoaded, message, ...at, persistent: false };
  }
  return undefined;
}

function podReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** Failures any container can have: a bad image, or a bad reference in its configuration. */
function waitingFailure(pod: V1Pod, c: V1ContainerStatus): PodDiagnosis | undefined {
  const waiting = c.state?.waiting;
  const known = WAITING_FAILURES.get(waiting?.reason ?? "");
  if (known === undefined) return undefined;
  const detail = waiting?.message ?? `image ${JSON.stringify(c.image)}`;
  const name = nameOf(pod);
  return {
    reason: known.reason,
    message: `pod ${name} container ${c.name}: ${known.reason}: ${detail}; ${known.hint}`,
    pod: name,
    container: c.name,
    persistent: known.persistent,
  };
}

function logsCommand(pod: V1Pod, c: V1ContainerStatus): string {
  return `kubectl logs -n ${pod.metadata?.namespace ?? "default"} ${nameOf(pod)} -c ${c.name}`;
}

/** `before + text + after`, or "" when text is absent or empty. */
function suffix(before: string, text: string | undefined, after = ""): string {
  return text === undefined || text === "" ? "" : `${before}${text}${after}`;
}

function nameOf(pod: V1Pod): string {
  return pod.metadata?.name ?? "";
}

function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`;
}
