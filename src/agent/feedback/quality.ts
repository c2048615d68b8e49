// Live model quality from ground truth: running statistics over joined (prediction, label) pairs.
// Contract: every total only grows (Prometheus counter style: the operator takes deltas over an
// interval to get the quality of that interval), nothing is kept per pair, and a pair that cannot
// be scored is counted as invalid instead of skewing the totals.

/** A prediction or label of one row. */
export type LabelValue = number | string;

export type QualityKind = "classification" | "regression";

/** Totals since start, and the ratios they give (undefined before the first scored pair). */
export type QualitySnapshot =
  | {
      readonly kind: "classification";
      /** Pairs compared. */
      readonly total: number;
      /** Pairs whose prediction equals the label (after normaliseLabel). */
      readonly correct: number;
      /** Always 0: any two values can be compared as classes (kept so both kinds have it). */
      readonly invalid: number;
      readonly accuracy: number | undefined;
    }
  | {
      readonly kind: "regression";
      /** Pairs scored. */
      readonly count: number;
      readonly absoluteErrorSum: number;
      readonly squaredErrorSum: number;
      /** Pairs not scored: a non-numeric prediction or label, or an overflowing error. */
      readonly invalid: number;
      readonly mae: number | undefined;
      readonly rmse: number | undefined;
    };

/** A decimal number literal, as JSON or a model server writes one ("1", "-0.5", "1.0", "2e3", ".5"). */
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `value` as a finite number: numbers as they are, numeric strings parsed; otherwise undefined. */
export function numericValue(value: LabelValue): number | undefined {
  const n = typeof value === "number" ? value : NUMERIC.test(value) ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The class a value names, for comparing a prediction with a label. Numbers and numeric strings
 * become their shortest number form (String of the number), so 1, 1.0, "1", "1.0", "01" and "1e0"
 * are all "1" (and -0, "-0" are "0"): a model server answering 1 and a user posting "1" agree. Any other string is compared
 * exactly as it is (case and whitespace matter: "Cat" is not "cat", " 1" is not "1").
 */
export function normaliseLabel(value: LabelValue): string {
  const n = numericValue(value);
  return n === undefined ? String(value) : String(n);
}

/** Running quality of one revision's predictions; `kind` says which statistics apply. */
export class QualityTracker {
  private total = 0;
  private correct = 0;
  private absoluteErrorSum = 0;
  private squaredErrorSum = 0;
  private invalid = 0;

  readonly kind: QualityKind;

  constructor(kind: QualityKind) {
    this.kind = kind;
  }

  /**
   * Scores one row. Classification: counts the pair and whether the prediction names the
   * label's class (normaliseLabel). Regression: adds |prediction − label| and its square, or,
   * when either is not numeric (numericValue) or the squared error overflows, only counts the
   * pair as invalid. Returns whether the pair was scored.
   */
  add(prediction: LabelValue, label: LabelValue): boolean {
    if (this.kind === "classification") {
      this.total++;
      if (normaliseLabel(prediction) === normaliseLabel(label)) this.correct++;
      return true;
    }
    const p = numericValue(prediction);
    const l = numericValue(label);
    const error = p === undefined || l === undefined ? Number.NaN : Math.abs(p - l);
    // An error whose square overflows would make the totals Infinity for good: not scored either.
    if (!Number.isFinite(error * error)) {
      this.invalid++;
      return false;
    }
    this.total++;
    this.absoluteErrorSum += error;
    this.squaredErrorSum += error * error;
    return true;
  }

  /** The totals since start and their ratios now. */
  snapshot(): QualitySnapshot {
    const scored = this.total > 0;
    if (this.kind === "classification") {
      return { kind: "classification", total: this.total, correct: this.correct, invalid: this.invalid, accuracy: scored ? this.correct / this.total : undefined };
    }
    return {
      kind: "regression",
      count: this.total,
      absoluteErrorSum: this.absoluteErrorSum,
      squaredErrorSum: this.squaredErrorSum,
      invalid: this.invalid,
      mae: scored ? this.absoluteErrorSum / this.total : undefined,
      rmse: scored ? Math.sqrt(this.squaredErrorSum / this.total) : undefined,
    };
  }
}
