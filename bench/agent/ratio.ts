// Throughput ratios of two targets from their saturation rounds. The targets take turns, so
// round k of one ran right next to round k of the other: each pair gives a ratio under nearly the
// same conditions, and the spread of those ratios shows how much the machine's noise moved them.
import { median } from "./judge.ts";

export interface RatioRange {
  /** Median of the per-round ratios. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly perRound: readonly number[];
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Ratios numerator[k] / denominator[k] of rounds run side by side; undefined without a pair. */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[]): RatioRange | undefined {
  const pairs = Math.min(numerator.length, denominator.length);
  if (pairs === 0) return undefined;
  const perRound = Array.from({ length: pairs }, (_, k) => numerator[k]! / denominator[k]!);
  return { ratio: round3(median(perRound)), low: round3(Math.min(...perRound)), high: round3(Math.max(...perRound)), perRound: perRound.map(round3) };
}
