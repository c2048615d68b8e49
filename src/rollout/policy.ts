// The rollout policy the state machine follows: spec.rollout with durations in milliseconds and
// defaults applied, so the machine never parses strings.
import { parseDuration } from "../api/duration.ts";
import type { RolloutSpec, RolloutStrategy } from "../api/rollout.ts";
import type { ShadowSpec } from "../api/shadow.ts";
import { WEBHOOK_TYPES, type WebhookType } from "../api/webhooks.ts";

/** One canary step; `pauseMs` undefined means "wait until a person promotes". */
export interface PolicyStep {
  weight: number;
  pauseMs: number | undefined;
}

/** Analysis cadence; checks themselves are run by the reconciler (RunAnalysis action). */
export interface AnalysisPolicy {
  intervalMs: number;
  /** Failed intervals tolerated; the rollout is rolled back at failureLimit + 1. */
  failureLimit: number;
}

/** The shadow phase of a Canary rollout (spec.rollout.shadow). */
export interface ShadowPolicy {
  durationMs: number;
  /** The spec as written (sample rate, bounds, comparison), for the mirror's settings. */
  spec: ShadowSpec;
}

export interface RolloutPolicy {
  strategy: RolloutStrategy;
  /** Canary steps, weights strictly increasing; empty for BlueGreen and Rolling. */
  steps: PolicyStep[];
  /** Canary only: a shadow phase before step 0; undefined without one. */
  shadow?: ShadowPolicy;
  analysis: AnalysisPolicy | undefined;
  progressDeadlineMs: number;
  /** BlueGreen: switch when analysis passes (true) or wait for a person (false). */
  autoPromote: boolean;
  /** How long the previous revision keeps running after a promotion (BlueGreen), else 0. */
  scaleDownDelayMs: number;
  /** The types of spec.rollout.webhooks configured, each once; the reconciler calls the hooks themselves. */
  webhooks: readonly WebhookType[];
}

const DEFAULT_DEADLINE_MS = 600_000;
const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_SCALE_DOWN_DELAY_MS = 30_000;
const DEFAULT_SHADOW_MS = 300_000;

/**
 * The policy of a validated spec.rollout; an absent rollout is a Rolling update without analysis
 * (as the API documents). Durations that do not parse fall back to the API defaults; the schema
 * rejects them at admission, so that only happens with unvalidated input.
 */
export function policyFromSpec(spec: RolloutSpec | undefined): RolloutPolicy {
  if (spec === undefined) {
    return { strategy: "Rolling", steps: [], analysis: undefined, progressDeadlineMs: DEFAULT_DEADLINE_MS, autoPromote: true, scaleDownDelayMs: 0, webhooks: [] };
  }
  const analysis = spec.analysis === undefined ? undefined : {
    intervalMs: parseDuration(spec.analysis.interval) ?? DEFAULT_INTERVAL_MS,
    failureLimit: spec.analysis.failureLimit,
  };
  return {
    strategy: spec.strategy,
    steps: (spec.steps ?? []).map((s) => ({
      weight: s.weight,
      pauseMs: s.pause === undefined || s.pause === "" ? undefined : parseDuration(s.pause),
    })),
    ...(spec.strategy === "Canary" && spec.shadow !== undefined
      ? { shadow: { durationMs: parseDuration(spec.shadow.duration) ?? DEFAULT_SHADOW_MS, spec: spec.shadow } }
      : {}),
    analysis: spec.strategy === "Rolling" ? undefined : analysis,
    progressDeadlineMs: parseDuration(spec.progressDeadline) ?? DEFAULT_DEADLINE_MS,
    autoPromote: spec.blueGreen?.autoPromote ?? true,
    scaleDownDelayMs: spec.strategy === "BlueGreen"
      ? parseDuration(spec.blueGreen?.scaleDownDelay ?? "30s") ?? DEFAULT_SCALE_DOWN_DELAY_MS
      : 0,
    webhooks: WEBHOOK_TYPES.filter((type) => spec.webhooks?.some((w) => w.type === type) === true),
  };
}
