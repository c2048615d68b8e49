// The seeded plan of a chaos run: which rollouts must be promoted or rolled back (and by what),
// and when which fault strikes. One seed gives one plan, so a failing run replays with
// MDO_CHAOS_SEED=<seed>; only the operator's and the cluster's own timing differ between runs.

/** How a rollout must end, and what decides it. */
export type Verdict =
  /** Analysis passes, every hook agrees: the new revision becomes stable. */
  | "Promoted"
  /** The analysis's metric reads 0 (min 1): the first interval fails, failureLimit is 0. */
  | "AnalysisFailed"
  /** The PreRollout hook answers 403: rolled back before the new revision gets traffic. */
  | "PreRolloutWebhookFailed"
  /** The Rollback hook answers 2xx once the rollout has reached `rollbackAtStep`. */
  | "RollbackWebhook";

export const VERDICTS: readonly Verdict[] = ["Promoted", "AnalysisFailed", "PreRolloutWebhookFailed", "RollbackWebhook"];

export interface RolloutPlan {
  /** The ModelDeployment's name. */
  readonly name: string;
  readonly verdict: Verdict;
  /** RollbackWebhook: the canary step index (from 0) at which the Rollback hook says yes. */
  readonly rollbackAtStep: number;
  /** Promoted: how many ConfirmPromotion calls are refused (403) before one is answered 200. */
  readonly confirmRefusals: number;
  /** The PostRollout hook's answer: a 4xx is final and only a Warning Event. */
  readonly postRolloutStatus: 200 | 400;
  /** When the new model version is applied, after the run's start. */
  readonly startAtMs: number;
}

export type FaultKind =
  /** SIGKILL of the operator process, then a new one started at once. */
  | "operator-kill"
  /** kube-apiserver stopped and started again: every watch and request in flight ends. */
  | "apiserver-restart"
  /** etcd compacted to its current revision: resuming a watch from an older resourceVersion gets 410 Gone. */
  | "etcd-compaction"
  /** Every connection between the operator and the API server cut (the server stays up). */
  | "watch-cut";

export const FAULT_KINDS: readonly FaultKind[] = ["operator-kill", "apiserver-restart", "etcd-compaction", "watch-cut"];

export interface FaultPlan {
  /** When, after the run's start (a fault still under way delays the next one). */
  readonly atMs: number;
  readonly kind: FaultKind;
}

export interface ChaosShape {
  /** ModelDeployments rolled out at once. */
  readonly count: number;
  /** Canary steps (weights); each holds `stepPause` and needs one passing analysis interval. */
  readonly weights: readonly number[];
  /** Faults; at least one of each kind when there are four or more. */
  readonly faults: number;
  /** Faults strike between 2 s and this long after the start. */
  readonly faultWindowMs: number;
  /** New model versions are applied between 0 and this long after the start. */
  readonly startSpreadMs: number;
  /** Whether Promoted rollouts may have their first ConfirmPromotion call refused (30 s more). */
  readonly confirmRefusals: boolean;
}

export interface ChaosPlan {
  readonly seed: number;
  readonly shape: ChaosShape;
  readonly rollouts: readonly RolloutPlan[];
  readonly faults: readonly FaultPlan[];
}

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** MDO_CHAOS_SEED when set (replay), else a fresh one. */
export function chaosSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.MDO_CHAOS_SEED;
  if (given === undefined || given === "") return Date.now() % 2 ** 31;
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`MDO_CHAOS_SEED must be a non-negative integer, not ${given}`);
  return seed;
}

/**
 * The plan for `seed`. Every verdict occurs at least once when there are four or more rollouts,
 * and every fault kind when there are four or more faults, so each check meets each case; the
 * rest is drawn at random (half of the remaining rollouts promoted).
 */
export function makePlan(seed: number, shape: ChaosShape): ChaosPlan {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const verdicts = shuffle(random, Array.from({ length: shape.count }, (_, i) =>
    i < VERDICTS.length ? VERDICTS[i]! : random() < 0.5 ? "Promoted" : pick(VERDICTS.slice(1))));
  const rollouts = verdicts.map((verdict, i): RolloutPlan => ({
    name: `chaos-${i}`,
    verdict,
    rollbackAtStep: Math.floor(random() * shape.weights.length),
    confirmRefusals: shape.confirmRefusals && random() < 0.25 ? 1 : 0,
    postRolloutStatus: random() < 0.25 ? 400 : 200,
    startAtMs: Math.round(random() * shape.startSpreadMs),
  }));
  const kinds = shuffle(random, Array.from({ length: shape.faults }, (_, i) => (i < FAULT_KINDS.length ? FAULT_KINDS[i]! : pick(FAULT_KINDS))));
  const times = kinds.map(() => 2_000 + Math.round(random() * (shape.faultWindowMs - 2_000))).sort((a, b) => a - b);
  return { seed, shape, rollouts, faults: kinds.map((kind, i) => ({ atMs: times[i]!, kind })) };
}

function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
