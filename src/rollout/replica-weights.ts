// Traffic weights approximated by replica counts, for the Replicas router (one Service over the
// pods of both revisions, so each ready pod receives about the same share of requests).

/** Replica counts of both revisions and the canary weight they really give. */
export interface ReplicaSplit {
  stableReplicas: number;
  canaryReplicas: number;
  /** Percent of traffic the canary receives with these counts, rounded; never the desired one. */
  achievedWeight: number;
}

/**
 * Splits a replica budget between the stable and the canary revision for a desired canary weight
 * (percent, 0 to 100). Decision: the budget is split, not added to: the canary takes
 * round(weight × budget / 100) replicas and the stable keeps the rest, so the ModelDeployment uses
 * the replicas its spec (or autoscaler) grants and the HPA's budget is never exceeded. Edge cases:
 * - weight 0 → all replicas stable, no canary; weight 100 → all replicas canary, no stable;
 * - 0 < weight < 100 → at least 1 canary and at least 1 stable replica, within the budget (weight
 *   99 with 4 replicas is 1 + 3, reported 75); a budget of 1 becomes 1 + 1 (the only way to serve
 *   both), reported as 50%;
 * - a budget below 1 is treated as 1 (a serving ModelDeployment has at least one replica).
 * `achievedWeight` is 100 × canary / (stable + canary), rounded: with a budget of 4, weight 10
 * gives 3 + 1 replicas and reports 25, not 10.
 */
export function splitReplicas(desiredWeight: number, budget: number): ReplicaSplit {
  const weight = Math.min(100, Math.max(0, Math.round(desiredWeight)));
  const replicas = Math.max(1, Math.floor(budget));
  if (weight === 0) return { stableReplicas: replicas, canaryReplicas: 0, achievedWeight: 0 };
  if (weight === 100) return { stableReplicas: 0, canaryReplicas: replicas, achievedWeight: 100 };
  if (replicas === 1) return { stableReplicas: 1, canaryReplicas: 1, achievedWeight: 50 };
  const canaryReplicas = Math.min(replicas - 1, Math.max(1, Math.round((weight * replicas) / 100)));
  const stableReplicas = replicas - canaryReplicas;
  return { stableReplicas, canaryReplicas, achievedWeight: achievedWeight(stableReplicas, canaryReplicas) };
}

/**
 * The canary weight that ready replica counts actually give (percent, rounded); 0 when nothing
 * is ready. Use it with *ready* counts to report status.traffic honestly while pods start.
 */
export function achievedWeight(stableReplicas: number, canaryReplicas: number): number {
  const total = stableReplicas + canaryReplicas;
  return total <= 0 ? 0 : Math.round((100 * canaryReplicas) / total);
}
