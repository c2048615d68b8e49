// Ground truth of the stable revision, decided purely: status.performance and the
// ModelPerformance condition from the labels its agents joined since its pods started.
import type { GroundTruthMonitoringSpec, ModelDeploymentStatus } from "../../../api/index.ts";
import type { LabelScores, Reading } from "../../../analysis/index.ts";
import type { ConditionUpdate } from "../../../runtime/conditions.ts";
import { formatTime } from "../../../runtime/conditions.ts";

export type PerformanceStatus = NonNullable<ModelDeploymentStatus["performance"]>;

export const ModelPerformanceReasons = {
  WithinThreshold: "QualityWithinThreshold",
  AccuracyBelowMin: "AccuracyBelowMin",
  ErrorAboveMax: "ErrorAboveMax",
  /** No minAccuracy / maxMeanAbsoluteError: measured, nothing to judge. */
  Measured: "Measured",
  TooFewLabels: "TooFewLabels",
  NoData: "NoGroundTruthData",
} as const;

export interface PerformanceAssessment {
  /** status.performance to write (the previous one when nothing could be read). */
  performance: PerformanceStatus | undefined;
  condition: ConditionUpdate;
}

export interface PerformanceInput {
  spec: GroundTruthMonitoringSpec;
  reading: Reading<LabelScores>;
  revision: string;
  previous: PerformanceStatus | undefined;
  generation: number;
  now: Date;
}

/** Scores are written with this many significant digits, so noise in the last ones writes nothing. */
const DIGITS = 4;
const round = (v: number): number => Number(v.toPrecision(DIGITS));

/**
 * - No reading: ModelPerformance Unknown (NoGroundTruthData), status.performance kept.
 * - Fewer than minLabels labels: Unknown (TooFewLabels), the scores so far in status.
 * - minAccuracy / maxMeanAbsoluteError set: False when the score is past it (AccuracyBelowMin,
 *   ErrorAboveMax), else True (QualityWithinThreshold); neither set: True (Measured).
 * status.performance changes only when the scores do (evaluatedAt then too).
 */
export function assessPerformance(input: PerformanceInput): PerformanceAssessment {
  const { spec, reading, revision, previous, now } = input;
  const condition = (status: "True" | "False" | "Unknown", reason: string, message: string): ConditionUpdate =>
    ({ type: "ModelPerformance", status, reason, message, observedGeneration: input.generation });
  if (!reading.ok) {
    return { performance: previous, condition: condition("Unknown", ModelPerformanceReasons.NoData, `no ground truth for revision ${revision}: ${reading.message} (${reading.reason})`) };
  }
  const { rows, correct, absoluteError, squaredError } = reading.value;
  const labels = Math.round(rows);
  const scores = labels === 0 ? {} : spec.kind === "Classification"
    ? { accuracy: round(correct / rows) }
    : { meanAbsoluteError: round(absoluteError / rows), rootMeanSquaredError: round(Math.sqrt((squaredError ?? 0) / rows)) };
  const measured: PerformanceStatus = { revision, evaluatedAt: formatTime(now), labels, ...scores };
  const same = previous !== undefined && previous.revision === revision && previous.labels === labels
    && previous.accuracy === measured.accuracy && previous.meanAbsoluteError === measured.meanAbsoluteError;
  const performance = same ? previous : measured;
  const what = `revision ${revision}: ${describe(measured)} over ${labels} labels`;
  if (labels < spec.minLabels) return { performance, condition: condition("Unknown", ModelPerformanceReasons.TooFewLabels, `${what}, fewer than minLabels ${spec.minLabels}`) };
  if (spec.minAccuracy !== undefined && measured.accuracy !== undefined) {
    return measured.accuracy < spec.minAccuracy
      ? { performance, condition: condition("False", ModelPerformanceReasons.AccuracyBelowMin, `${what}, below the minimum ${spec.minAccuracy}`) }
      : { performance, condition: condition("True", ModelPerformanceReasons.WithinThreshold, `${what}, at least ${spec.minAccuracy}`) };
  }
  if (spec.maxMeanAbsoluteError !== undefined && measured.meanAbsoluteError !== undefined) {
    return measured.meanAbsoluteError > spec.maxMeanAbsoluteError
      ? { performance, condition: condition("False", ModelPerformanceReasons.ErrorAboveMax, `${what}, above the maximum ${spec.maxMeanAbsoluteError}`) }
      : { performance, condition: condition("True", ModelPerformanceReasons.WithinThreshold, `${what}, within ${spec.maxMeanAbsoluteError}`) };
  }
  return { performance, condition: condition("True", ModelPerformanceReasons.Measured, `${what} (no threshold set)`) };
}

function describe(p: PerformanceStatus): string {
  if (p.accuracy !== undefined) return `accuracy ${p.accuracy}`;
  if (p.meanAbsoluteError !== undefined) return `mean absolute error ${p.meanAbsoluteError}, RMSE ${p.rootMeanSquaredError ?? "?"}`;
  return "no score yet";
}
