// Errors the activator maps to HTTP answers.
import type { ActivationTarget } from "./target.ts";
import { targetKey } from "./target.ts";

/** The target's hold queue is at maxQueuedPerTarget (→ 503, Retry-After: 1). */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";
  constructor(target: ActivationTarget, limit: number) {
    super(`ModelDeployment ${targetKey(target)} already has ${limit} requests waiting for a pod`);
  }
}

/** No backend became ready within coldStartTimeoutMs of the request's arrival (→ 503 with Retry-After). */
export class ColdStartTimeoutError extends Error {
  override readonly name = "ColdStartTimeoutError";
  constructor(target: ActivationTarget, timeoutMs: number) {
    super(`No pod of ModelDeployment ${targetKey(target)} became ready within ${timeoutMs} ms`);
  }
}

/** A wait for a ready backend was given up (its signal aborted) before one became ready. */
export class BackendWaitAbortedError extends Error {
  override readonly name = "BackendWaitAbortedError";
  constructor(target: ActivationTarget, cause: unknown) {
    super(`Stopped waiting for a ready pod of ModelDeployment ${targetKey(target)}`, { cause });
  }
}

/** The activator was closed while the request was held (→ 503, Retry-After: 1). */
export class ActivatorClosedError extends Error {
  override readonly name = "ActivatorClosedError";
}
