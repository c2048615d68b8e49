// The canary weight as the routers take it.
import type { TrafficInput } from "./router.ts";

/**
 * The canary weight of `input` as a whole percent in 0..100: rounded and clamped, and 0 when
 * there is no canary revision (whatever canaryWeight says), so routers never route to nothing.
 */
export function canaryPercent(input: Pick<TrafficInput, "canaryRevision" | "canaryWeight">): number {
  if (input.canaryRevision === undefined) return 0;
  const weight = Math.round(input.canaryWeight);
  return Number.isFinite(weight) ? Math.min(100, Math.max(0, weight)) : 0;
}

/** The replica budget as a whole number of at least 1 (a serving ModelDeployment has a replica). */
export function wholeBudget(budget: number): number {
  return Number.isFinite(budget) ? Math.max(1, Math.floor(budget)) : 1;
}
