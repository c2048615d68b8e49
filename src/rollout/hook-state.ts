// What the rollout state remembers about spec.rollout.webhooks between reconciles, and what the
// machine and the webhook caller exchange: the CallWebhooks question and its answers.
import type { WebhookType } from "../api/webhooks.ts";

export type { WebhookType };

/** How a finished rollout ended, as PostRollout hooks are told (in the body's `phase`). */
export type RolloutOutcome = "Promoted" | "RolledBack" | "Aborted";

/** A finished rollout whose PostRollout hooks have not been called yet. */
export interface PendingNotification {
  revision: string;
  modelVersion?: string;
  outcome: RolloutOutcome;
  /** When the rollout ended; tells two notifications of the same revision apart. */
  time: string;
  step: number;
  weight: number;
}

/** Every field absent means nothing pending; all timestamps are RFC 3339 strings, as status stores them. */
export interface HookState {
  /**
   * Progressing: the PreRollout hooks have not all answered 2xx yet. Until they have, the new
   * revision gets neither traffic nor replicas, and nothing else of the rollout happens.
   */
  preRolloutPending?: boolean;
  /** When the ConfirmPromotion hooks are asked again after an answer other than 2xx; absent: when due. */
  confirmAt?: string;
  /** When the Rollback hooks are asked next; absent: now. */
  rollbackAt?: string;
  /** The PostRollout hooks still to call, for the rollout that ended last. */
  notify?: PendingNotification;
}

/**
 * The rollout as the hooks of one type are told about it (the request body without the
 * ModelDeployment's name, namespace and the hook's metadata, which the caller adds). `phase` is
 * the rollout's phase, or for PostRollout how it ended (Promoted, RolledBack, Aborted); `step` is
 * the canary step index from 0, as in status.canary.
 */
export interface WebhookCall {
  type: WebhookType;
  phase: string;
  stableRevision: string;
  canaryRevision?: string;
  modelVersion?: string;
  step: number;
  weight: number;
}

/**
 * One hook's answer. `passed`: it answered 2xx (after retries). `status` is the last HTTP status,
 * absent when no answer came (network error, timeout). `message` says what happened in one line,
 * with at most 256 characters of the answer's body.
 */
export interface WebhookResult {
  name: string;
  passed: boolean;
  status?: number;
  message: string;
}

/** Answers to the CallWebhooks actions of the previous call, by hook type. */
export type WebhookResults = Partial<Record<WebhookType, readonly WebhookResult[]>>;
