// The drift of one shard's inputs against a ModelDeployment's baseline profile: every good row's
// features are binned as the agent bins live requests, and at the end each feature gets the same
// homogeneity test (χ², with PSI as effect size) that live drift uses (src/drift/report.ts). The
// operator combines the shards' p-values with a Bonferroni correction over features × shards.
import { readFile } from "node:fs/promises";
import { binIndex, featureDrift, OTHER_CATEGORY, parseBaseline, type Baseline } from "../drift/index.ts";
import { BatchConfigError } from "./errors.ts";

/** One feature's test over a shard, rounded for the summary. */
export interface FeatureEvidenceSummary {
  /** Feature name. */
  readonly n: string;
  /** p-value of the homogeneity test; null when the feature had no values. */
  readonly p: number | null;
  /** PSI; null when the feature had no values. */
  readonly psi: number | null;
}

export interface ShardDriftSummary {
  /** Good rows binned. */
  readonly rows: number;
  readonly features: readonly FeatureEvidenceSummary[];
}

const round = (x: number | null, digits: number): number | null => (x === null ? null : Number(x.toPrecision(digits)));

/** Reads and validates a baseline profile file. Throws BatchConfigError. */
export async function loadBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new BatchConfigError(`Cannot read --drift-baseline ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    throw new BatchConfigError(`--drift-baseline ${path} is not a baseline profile: ${(error as Error).message}`, { cause: error });
  }
}

/** Bin counts of one shard's rows, per baseline feature. */
export class ShardDrift {
  readonly #baseline: Baseline;
  readonly #counts: Float64Array[];
  readonly #missing: number[];
  #rows = 0;

  constructor(baseline: Baseline) {
    this.#baseline = baseline;
    this.#counts = baseline.features.map((f) => new Float64Array(f.kind === "numeric" ? f.edges.length + 1 : f.categories.length));
    this.#missing = baseline.features.map(() => 0);
  }

  /** Bins one good row's features (a feature the row lacks, or a value that is not finite, is missing). */
  observe(features: readonly number[]): void {
    this.#rows++;
    this.#baseline.features.forEach((feature, f) => {
      const value = features[feature.index];
      const counts = this.#counts[f]!;
      if (value === undefined || !Number.isFinite(value)) this.#missing[f]!++;
      else if (feature.kind === "numeric") counts[binIndex(feature.edges, value)]!++;
      else {
        const at = feature.categories.indexOf(String(value));
        counts[at === -1 ? feature.categories.indexOf(OTHER_CATEGORY) : at]!++;
      }
    });
  }

  /** Each feature's test against the baseline, p-values to 4 significant digits, PSI to 3. */
  summary(): ShardDriftSummary {
    return {
      rows: this.#rows,
      features: this.#baseline.features.map((feature, f) => {
        const drift = featureDrift(feature, this.#counts[f]!, this.#missing[f]!);
        return { n: feature.name, p: round(drift.pValue, 4), psi: round(drift.psi, 3) };
      }),
    };
  }
}
