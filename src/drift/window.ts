// Drift monitoring on the agent's hot path: count every request row into the baseline's bins,
// and turn each closed window of rows into a DriftReport.
import type { Clock } from "../runtime/clock.ts";
import type { Baseline, BaselineFeature } from "./baseline.ts";
import { CategoryBins, type FeatureBins, NumericBins } from "./bins.ts";
import type { FeatureValue, FeatureVector } from "./feature-vector.ts";
import { type DriftReport, driftReport, featureDrift } from "./report.ts";

/** When a window closes. */
export interface DriftWindowOptions {
  /** N: the window closes at this many rows. */
  readonly maxSamples: number;
  /** T: the window closes this many milliseconds after its first row, if it has `minSamples`. */
  readonly maxAgeMs: number;
  /** Fewest rows a window closes with; an older window waits for them. ≤ maxSamples; default min(100, N). */
  readonly minSamples?: number;
  /** Source of time (milliseconds); tests pass a ManualClock. */
  readonly clock: Pick<Clock, "now">;
}

/**
 * `observe` looks at the clock for a window's age only every this many rows (a power of two):
 * reading a monotonic clock costs about as much as binning 5 to 10 features.
 */
const AGE_CHECK_ROWS = 16;

function binsFor(feature: BaselineFeature): FeatureBins {
  return feature.kind === "numeric" ? new NumericBins(feature) : new CategoryBins(feature);
}

/**
 * Tumbling windows of request rows compared with a baseline. Contract: `observe` is O(features),
 * O(1) expected per feature (a grid lookup for numeric features, a map lookup for categorical
 * ones), and allocates nothing (given strings for categorical features). A window closes at
 * `maxSamples` rows, or once it is `maxAgeMs` old and has `minSamples` rows; its age is checked
 * by `report` and by every 16th `observe`, so an old window closes at the next `report()` call or
 * within 16 rows, whichever comes first (the agent calls `report()` whenever it refreshes its
 * gauges). The window's start is its first row, so idle time before it does not count. Closing
 * computes the report (allocating) and starts an empty window. Not thread-safe; one instance per
 * agent process.
 */
export class DriftMonitor {
  readonly baseline: Baseline;
  private readonly bins: readonly FeatureBins[];
  private readonly predictionBins: FeatureBins | undefined;
  private readonly maxSamples: number;
  private readonly maxAgeMs: number;
  private readonly minSamples: number;
  private readonly clock: Pick<Clock, "now">;
  private samples = 0;
  private startMs = 0;
  private latest: DriftReport | undefined;

  constructor(baseline: Baseline, options: DriftWindowOptions) {
    const { maxSamples, maxAgeMs, minSamples = Math.min(100, maxSamples) } = options;
    if (!(Number.isInteger(maxSamples) && maxSamples >= 1)) throw new RangeError(`maxSamples must be a positive integer, got ${maxSamples}`);
    if (!(maxAgeMs > 0)) throw new RangeError(`maxAgeMs must be positive, got ${maxAgeMs}`);
    if (!(Number.isInteger(minSamples) && minSamples >= 1 && minSamples <= maxSamples)) {
      throw new RangeError(`minSamples must be an integer from 1 to maxSamples (${maxSamples}), got ${minSamples}`);
    }
    this.baseline = baseline;
    this.bins = baseline.features.map(binsFor);
    this.predictionBins = baseline.prediction === undefined ? undefined : binsFor(baseline.prediction);
    this.maxSamples = maxSamples;
    this.maxAgeMs = maxAgeMs;
    this.minSamples = minSamples;
    this.clock = options.clock;
  }

  /** Rows in the open window so far (for a gauge). */
  get openWindowSamples(): number {
    return this.samples;
  }

  /** Counts one request row (see FeatureVector) into the open window; may close it. */
  observe(row: FeatureVector): void {
    if (this.samples === 0) this.startMs = this.clock.now();
    const bins = this.bins;
    for (let j = 0; j < bins.length; j++) bins[j]!.count(row[j]);
    const samples = ++this.samples;
    if (samples >= this.maxSamples) this.close(this.clock.now());
    else if (samples >= this.minSamples && (samples & (AGE_CHECK_ROWS - 1)) === 0) this.closeIfOld();
  }

  /** Counts one model output into the open window's prediction bins; ignored without a profile. */
  observePrediction(value: FeatureValue): void {
    this.predictionBins?.count(value);
  }

  /** The latest closed window's report (closing the open window first if it is due), if any. */
  report(): DriftReport | undefined {
    if (this.samples >= this.minSamples) this.closeIfOld();
    return this.latest;
  }

  private closeIfOld(): void {
    const now = this.clock.now();
    if (now - this.startMs >= this.maxAgeMs) this.close(now);
  }

  private close(endMs: number): void {
    const { features, prediction } = this.baseline;
    const drift = features.map((f, j) => featureDrift(f, this.bins[j]!.counts, this.bins[j]!.missing));
    const p = this.predictionBins;
    const seen = p !== undefined && (p.missing > 0 || p.counts.some((c) => c > 0));
    const predictionDrift = prediction !== undefined && seen ? featureDrift(prediction, p.counts, p.missing) : undefined;
    this.latest = driftReport({ startMs: this.startMs, endMs, samples: this.samples }, drift, predictionDrift);
    for (const b of this.bins) b.reset();
    p?.reset();
    this.samples = 0;
  }
}
