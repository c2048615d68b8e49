// What the drift benchmark compares: a baseline of 10 000 rows of 20 features, and live windows
// drawn from it or from a drifted version of feature 0. Windows are drawn as bin counts from the
// exact bin probabilities of the (shifted) distribution, which is what the agent's binning of raw
// rows produces, at a fraction of the cost.
import { buildBaseline } from "../../src/drift/build-baseline.ts";
import type { Baseline, BaselineFeature } from "../../src/drift/baseline.ts";
import { normal, normalCdf, type Uniform } from "./random.ts";

export const FEATURES = 20;
export const BASELINE_ROWS = 10_000;
/** Categories of the categorical feature 0 and their shares in the baseline. */
export const CATEGORIES = ["a", "b", "c", "d", "e"] as const;
const CATEGORY_SHARES = [0.4, 0.3, 0.15, 0.1, 0.05];

export type Scenario =
  | { readonly name: string; readonly kind: "numeric"; readonly shift: number; readonly scale: number }
  /** `shares` of categories a–e; what they leave to 1 is a category the baseline never saw. */
  | { readonly name: string; readonly kind: "categorical"; readonly shares: readonly number[] };

export const SCENARIOS: readonly Scenario[] = [
  { name: "no drift", kind: "numeric", shift: 0, scale: 1 },
  { name: "mean +0.1σ", kind: "numeric", shift: 0.1, scale: 1 },
  { name: "mean +0.25σ", kind: "numeric", shift: 0.25, scale: 1 },
  { name: "mean +0.5σ", kind: "numeric", shift: 0.5, scale: 1 },
  { name: "mean +1σ", kind: "numeric", shift: 1, scale: 1 },
  { name: "scale ×1.3", kind: "numeric", shift: 0, scale: 1.3 },
  { name: "no drift (categorical)", kind: "categorical", shares: CATEGORY_SHARES },
  { name: "5 points a → b", kind: "categorical", shares: [0.35, 0.35, 0.15, 0.1, 0.05] },
  { name: "10 points a → b", kind: "categorical", shares: [0.3, 0.4, 0.15, 0.1, 0.05] },
  { name: "new category 5%", kind: "categorical", shares: CATEGORY_SHARES.map((s) => s * 0.95) },
];

/** Two baselines of one repetition: feature 0 numeric or categorical, features 1–19 numeric. */
export interface BaselinePair {
  readonly numeric: Baseline;
  readonly categorical: Baseline;
}

/** Draws a baseline sample and profiles it with `mdo baseline build`'s own function (10 quantile bins). */
export function drawBaselines(next: Uniform): BaselinePair {
  const gauss = normal(next);
  const columns = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
  const rows: (number | string)[][] = [];
  for (let r = 0; r < BASELINE_ROWS; r++) {
    const row: (number | string)[] = [];
    for (let f = 0; f < FEATURES; f++) row.push(gauss());
    rows.push(row);
  }
  const numeric = buildBaseline(rows, { columns });
  for (const row of rows) row[0] = pickCategory(next());
  const categorical = buildBaseline(rows, { columns, categorical: ["f0"] });
  return { numeric, categorical };
}

/** A category of the baseline's shares for a uniform `u`. */
function pickCategory(u: number): string {
  let acc = 0;
  for (let i = 0; i < CATEGORY_SHARES.length; i++) {
    acc += CATEGORY_SHARES[i]!;
    if (u < acc) return CATEGORIES[i]!;
  }
  return CATEGORIES[CATEGORIES.length - 1]!;
}

/** Cumulative bin probabilities of N(shift, scale²) over a numeric feature's bins. */
export function numericCumulative(feature: Extract<BaselineFeature, { kind: "numeric" }>, shift: number, scale: number): Float64Array {
  const out = new Float64Array(feature.edges.length + 1);
  feature.edges.forEach((edge, i) => (out[i] = normalCdf((edge - shift) / scale)));
  out[feature.edges.length] = 1;
  return out;
}

/**
 * Cumulative probabilities of the scenario's categories over a categorical feature's bins (the
 * listed ones, then "__other__", which takes the rest: an unseen category's share).
 */
export function categoricalCumulative(feature: Extract<BaselineFeature, { kind: "categorical" }>, shares: readonly number[]): Float64Array {
  const probability = (category: string): number => {
    const i = (CATEGORIES as readonly string[]).indexOf(category);
    return i < 0 ? 0 : shares[i]!;
  };
  const listed = feature.categories.slice(0, -1);
  const out = new Float64Array(feature.categories.length);
  let acc = 0;
  listed.forEach((c, i) => (out[i] = acc += probability(c)));
  out[listed.length] = 1;
  return out;
}
