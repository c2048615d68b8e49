// Counting values into a baseline feature's bins: the per-request work of drift monitoring.
import type { CategoricalFeature, NumericFeature } from "./baseline.ts";
import { BinLocator } from "./bin-locator.ts";
import type { FeatureValue } from "./feature-vector.ts";

/**
 * Counts of one feature's values per bin over a window. `count` allocates nothing, except the
 * string of a number given to a categorical feature.
 */
export interface FeatureBins {
  /** Count per bin, in the baseline's bin order. Read it; reset it only with {@link reset}. */
  readonly counts: Float64Array;
  /** Number of values that were missing or of the wrong type. */
  readonly missing: number;
  /** Adds one value: to its bin, or to `missing`. */
  count(value: FeatureValue): void;
  /** Zeroes every count. */
  reset(): void;
}

/** Bins of a numeric feature: located in O(1) expected time (BinLocator). */
export class NumericBins implements FeatureBins {
  readonly counts: Float64Array;
  missing = 0;
  private readonly locator: BinLocator;

  constructor(feature: NumericFeature) {
    this.locator = new BinLocator(feature.edges);
    this.counts = new Float64Array(feature.edges.length + 1);
  }

  count(value: FeatureValue): void {
    if (typeof value === "number" && !Number.isNaN(value)) this.counts[this.locator.locate(value)]! += 1;
    else this.missing += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.missing = 0;
  }
}

/** Bins of a categorical feature: a map lookup; unlisted values go to the last ("other") bin. */
export class CategoryBins implements FeatureBins {
  readonly counts: Float64Array;
  missing = 0;
  private readonly positions: Map<string, number>;
  private readonly other: number;

  constructor(feature: CategoricalFeature) {
    this.counts = new Float64Array(feature.categories.length);
    this.other = feature.categories.length - 1;
    this.positions = new Map(feature.categories.slice(0, -1).map((c, i) => [c, i]));
  }

  count(value: FeatureValue): void {
    if (typeof value === "string") this.counts[this.positions.get(value) ?? this.other]! += 1;
    else if (typeof value === "number" && !Number.isNaN(value)) this.counts[this.positions.get(String(value)) ?? this.other]! += 1;
    else this.missing += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.missing = 0;
  }
}
