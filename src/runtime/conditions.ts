/**
 * Status conditions with Kubernetes (metav1.Condition) semantics, for any kind: one condition per
 * type, `lastTransitionTime` moves only when `status` changes, and lists are never mutated, so a
 * caller can compare the old and new list to decide whether a status write is needed.
 */

export type ConditionStatus = "True" | "False" | "Unknown";

/** A metav1.Condition. */
export interface Condition {
  /** CamelCase type, unique within a list (e.g. Ready). */
  type: string;
  status: ConditionStatus;
  /** metadata.generation of the object the condition was computed from. */
  observedGeneration?: number;
  /** RFC 3339 time, in seconds, of the last change of `status`. */
  lastTransitionTime: string;
  /** Machine-readable CamelCase reason (the metav1 pattern; see {@link isValidReason}). */
  reason: string;
  /** Human-readable details, at most {@link MAX_CONDITION_MESSAGE} characters. */
  message: string;
}

/** A condition as a caller states it: the helpers decide `lastTransitionTime`. */
export type ConditionUpdate = Omit<Condition, "lastTransitionTime">;

/** The API server's limit on metav1.Condition.message. */
export const MAX_CONDITION_MESSAGE = 32768;

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_REASON = 1024;

/** True when `reason` is accepted by the API server: CamelCase, starting with a letter. */
export function isValidReason(reason: string): boolean {
  return reason.length <= MAX_REASON && REASON.test(reason);
}

/**
 * `time` as Kubernetes writes timestamps: RFC 3339 in UTC with whole seconds
 * (2025-01-31T12:00:00Z). Sub-second precision is dropped, as the API server would.
 */
export function formatTime(time: Date): string {
  return time.toISOString().replace(/\.\d+Z$/, "Z");
}

/** `message` cut to at most `max` characters, ending in "…" when cut. */
export function truncateMessage(message: string, max = MAX_CONDITION_MESSAGE): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}

/** The condition of `type`, or undefined. */
export function findCondition<C extends Condition>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True only when the condition of `type` exists and its status is True. */
export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}

/** True only when the condition of `type` exists and its status is False. */
export function isFalse(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "False";
}

/**
 * A new list where the condition of `next.type` is `next`. An existing condition keeps its
 * position and its `lastTransitionTime` unless its `status` changes; a new type is appended.
 * `now` stamps a new or flipped condition. The message is truncated to the API server's limit.
 * The input list and its items are never mutated; unchanged items are shared with it.
 *
 * @throws TypeError when `next.type` is empty or `next.reason` is not a valid reason: the API
 * server would reject the whole status write, so this is a programming error.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: ConditionUpdate,
  now: Date,
): Condition[] {
  if (next.type === "") throw new TypeError("Condition type must not be empty");
  if (!isValidReason(next.reason)) {
    throw new TypeError(`Condition ${next.type} has an invalid reason ${JSON.stringify(next.reason)}: use CamelCase`);
  }
  const list = conditions ?? [];
  const index = list.findIndex((c) => c.type === next.type);
  const existing = index === -1 ? undefined : list[index];
  const lastTransitionTime =
    existing !== undefined && existing.status === next.status ? existing.lastTransitionTime : formatTime(now);
  const condition: Condition = {
    type: next.type,
    status: next.status,
    ...(next.observedGeneration === undefined ? {} : { observedGeneration: next.observedGeneration }),
    lastTransitionTime,
    reason: next.reason,
    message: truncateMessage(next.message),
  };
  if (existing === undefined) return [...list, condition];
  const result = [...list];
  result[index] = sameCondition(existing, condition) ? existing : condition;
  return result;
}

/** A new list without the condition of `type`; the input is not mutated. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** True when both conditions have the same fields, `lastTransitionTime` included. */
export function sameCondition(a: Condition, b: Condition): boolean {
  return (
    a.type === b.type &&
    a.status === b.status &&
    a.observedGeneration === b.observedGeneration &&
    a.lastTransitionTime === b.lastTransitionTime &&
    a.reason === b.reason &&
    a.message === b.message
  );
}
