// The groundTruth check's verdict: the canary's accuracy (classification) or mean absolute error
// (regression) over the labels joined for it in the interval. Fewer than minLabels labels decide
// nothing. Pure.
import type { GroundTruthCheckSpec } from "../api/ground-truth.ts";
import type { Verdict } from "../rollout/verdict.ts";
import type { Check } from "./checks.ts";
import type { LabelScores, Reading } from "./provider.ts";
import { FAIL_REASONS, NO_DATA_REASONS, PASS_REASONS } from "./reasons.ts";
import { formatNumber, noData, roundValue } from "./verdicts.ts";

export function groundTruthVerdict(check: Check, reading: Reading<LabelScores>, spec: GroundTruthCheckSpec, window: string): Verdict {
  if (!reading.ok) return noData(check, reading.reason, reading.message);
  const { rows, correct, absoluteError } = reading.value;
  const note = reading.note === undefined ? "" : `; ${reading.note}`;
  const count = Number.isInteger(rows) ? String(rows) : formatNumber(rows);
  if (rows < spec.minLabels) {
    return noData(check, NO_DATA_REASONS.tooFewLabels, `${count} labels joined for the canary in ${window}, fewer than minLabels ${spec.minLabels}${note}`);
  }
  const base = { check: check.name, threshold: check.threshold };
  const detail = `over ${count} labels joined in ${window}${note}`;
  if (spec.minAccuracy !== undefined) {
    const accuracy = Math.min(1, correct / rows);
    const value = { ...base, value: roundValue(accuracy) };
    return accuracy < spec.minAccuracy
      ? { ...value, status: "fail", reason: FAIL_REASONS.accuracy, message: `accuracy ${formatNumber(accuracy)} is below the minimum ${formatNumber(spec.minAccuracy)} (${detail})` }
      : { ...value, status: "pass", reason: PASS_REASONS.groundTruth, message: `accuracy ${formatNumber(accuracy)} is at least ${formatNumber(spec.minAccuracy)} (${detail})` };
  }
  const max = spec.maxMeanAbsoluteError ?? 0;
  const mae = absoluteError / rows;
  const value = { ...base, value: roundValue(mae) };
  return mae > max
    ? { ...value, status: "fail", reason: FAIL_REASONS.meanAbsoluteError, message: `mean absolute error ${formatNumber(mae)} is above the maximum ${formatNumber(max)} (${detail})` }
    : { ...value, status: "pass", reason: PASS_REASONS.groundTruth, message: `mean absolute error ${formatNumber(mae)} is within ${formatNumber(max)} (${detail})` };
}
