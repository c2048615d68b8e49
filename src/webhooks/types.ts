// The rollout webhooks' request body and the interface the reconciler calls them through.
import type { WebhookSpec } from "../api/webhooks.ts";
import type { WebhookCall, WebhookResult } from "../rollout/hook-state.ts";

/** The ModelDeployment a rollout belongs to. */
export interface WebhookTarget {
  name: string;
  namespace: string;
}

/**
 * The JSON body POSTed to a hook: which ModelDeployment, which hook type, the rollout as the
 * machine describes it (see WebhookCall: `phase` is the rollout phase, or for PostRollout how it
 * ended), and the hook's own `metadata` passed through ({} when it has none).
 */
export interface WebhookBody extends WebhookTarget, WebhookCall {
  metadata: Record<string, string>;
}

/**
 * Calls every hook in `hooks` whose type is `call.type` (concurrently) and returns one result per
 * hook, in their order; none when there is none of that type. Never throws: a hook that cannot be
 * reached is a result with `passed: false` and no status.
 */
export interface WebhookCaller {
  /** `signal` (a reconcile's) ends the calls early: an aborted call is a result with `passed: false`. */
  call(hooks: readonly WebhookSpec[], call: WebhookCall, target: WebhookTarget, signal?: AbortSignal): Promise<WebhookResult[]>;
}

export function webhookBody(hook: WebhookSpec, call: WebhookCall, target: WebhookTarget): WebhookBody {
  return {
    name: target.name,
    namespace: target.namespace,
    type: call.type,
    phase: call.phase,
    stableRevision: call.stableRevision,
    ...(call.canaryRevision === undefined ? {} : { canaryRevision: call.canaryRevision }),
    ...(call.modelVersion === undefined ? {} : { modelVersion: call.modelVersion }),
    step: call.step,
    weight: call.weight,
    metadata: { ...hook.metadata },
  };
}
