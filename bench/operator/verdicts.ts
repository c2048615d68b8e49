// The targets of issue 13 for the operator at scale, judged from one run's measurements.
import type { FloorPhase } from "./floor-phase.ts";
import type { OperatorPhase } from "./operator-phase.ts";

export interface Verdict {
  readonly goal: string;
  readonly measured: string;
  readonly pass: boolean;
}

export const TARGETS = { floorRatio: 1.25, steadyWritesPerMinute: 0, rssMB: 150, changeP99Seconds: 1 } as const;

export function judge(operator: OperatorPhase, floor: FloorPhase | undefined): Verdict[] {
  const verdicts: Verdict[] = [];
  if (floor !== undefined) {
    const ratio = operator.create.allReadySeconds / floor.create.allReadySeconds;
    verdicts.push({
      goal: `time to all Ready ≤ ${TARGETS.floorRatio}× the floor`,
      measured: `${ratio.toFixed(2)}× (${operator.create.allReadySeconds.toFixed(0)} s vs ${floor.create.allReadySeconds.toFixed(0)} s)`,
      pass: ratio <= TARGETS.floorRatio,
    });
  }
  verdicts.push({
    goal: "no writes at steady state",
    measured: `${operator.steadyWritesPerMinute.toFixed(1)} writes/min`,
    pass: operator.steadyWritesPerMinute <= TARGETS.steadyWritesPerMinute,
  });
  verdicts.push({
    goal: `operator RSS ≤ ${TARGETS.rssMB} MB`,
    measured: `${operator.rssMB.atAllReady} MB at all Ready, ${operator.rssMB.afterSteady} MB after steady state, peak ${operator.rssMB.peak} MB`,
    pass: Math.max(operator.rssMB.atAllReady, operator.rssMB.afterSteady, operator.rssMB.peak) <= TARGETS.rssMB,
  });
  if (operator.change !== undefined) {
    verdicts.push({
      goal: `spec change → child updated p99 ≤ ${TARGETS.changeP99Seconds} s (idle queue)`,
      measured: `p99 ${(operator.change.p99 * 1000).toFixed(0)} ms (p50 ${(operator.change.p50 * 1000).toFixed(0)} ms)`,
      pass: operator.change.p99 <= TARGETS.changeP99Seconds,
    });
  }
  return verdicts;
}
