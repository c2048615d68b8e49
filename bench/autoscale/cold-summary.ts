// The cold-start rounds summed up: t_ready, the direct baseline, and the activator's added
// latency over every held request of every round (and per round), held against the issue's
// target (≤ 100 ms added at p50, Knative's activator being the anchor).
import type { ColdStartRound } from "./cold-start.ts";
import { percentile, round3, spread, type Spread } from "./stats.ts";

export const ADDED_P50_TARGET_MS = 100;

export interface ColdStartSummary {
  readonly rounds: number;
  readonly heldPerRound: number;
  readonly demandToModelReadyMs: Spread;
  readonly demandToReadyMs: Spread;
  /** The agent's readiness lag behind MLServer's (0 without the agent). */
  readonly readinessLagMs: Spread;
  readonly directMs: Spread;
  readonly heldFromReadyMs: Spread;
  /** Every held request: from the ready instant to its hand-over to the activator's HTTP client. */
  readonly forwardedAfterReadyMs: Spread;
  /** Every held answer's end minus its round's direct answer's end. */
  readonly addedMs: Spread;
  /** Per round: the median held request's added latency. */
  readonly roundMedianAddedMs: Spread;
  /** Per round: the first held answer's added latency (the activator's path alone, no queue behind other held requests). */
  readonly firstHeldAddedMs: Spread;
  readonly lost: number;
  /** Rounds whose direct request was not answered 200 with the predictions (their baseline is void). */
  readonly baselineFailures: number;
  /** Rounds where fewer than all requests were held at the ready instant. */
  readonly roundsNotAllHeld: number;
  readonly withHeader: number;
  readonly verdict: "PASS" | "FAIL";
}

export function summariseColdStarts(rounds: readonly ColdStartRound[], heldPerRound: number): ColdStartSummary {
  const held = rounds.flatMap((r) => r.held);
  const added = held.map((h) => h.addedMs);
  const addedP50 = percentile(added, 50);
  const lost = rounds.reduce((n, r) => n + r.lost, 0);
  return {
    rounds: rounds.length,
    heldPerRound,
    demandToModelReadyMs: spread(rounds.map((r) => r.demandToModelReadyMs)),
    demandToReadyMs: spread(rounds.map((r) => r.demandToReadyMs)),
    readinessLagMs: spread(rounds.map((r) => round3(r.demandToReadyMs - r.demandToModelReadyMs))),
    directMs: spread(rounds.map((r) => r.directMs)),
    heldFromReadyMs: spread(held.map((h) => h.fromReadyMs)),
    forwardedAfterReadyMs: spread(rounds.flatMap((r) => r.forwardedAfterReadyMs)),
    addedMs: spread(added),
    roundMedianAddedMs: spread(rounds.map((r) => percentile(r.held.map((h) => h.addedMs), 50))),
    firstHeldAddedMs: spread(rounds.map((r) => Math.min(...r.held.map((h) => h.addedMs)))),
    lost,
    baselineFailures: rounds.filter((r) => r.directStatus !== 200).length,
    roundsNotAllHeld: rounds.filter((r) => r.heldAtReady !== heldPerRound).length,
    withHeader: held.filter((h) => h.coldStartHeaderMs !== undefined).length,
    verdict: addedP50 <= ADDED_P50_TARGET_MS && lost === 0 && !rounds.some((r) => r.directStatus !== 200) ? "PASS" : "FAIL",
  };
}
