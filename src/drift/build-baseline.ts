// Building a baseline profile from a table of reference data (the training set, say).
import { type Baseline, type BaselineFeature, BaselineError, OTHER_CATEGORY, validateBaseline } from "./baseline.ts";
import { BinLocator } from "./bin-locator.ts";
import { quantileEdges } from "./quantile-edges.ts";

/** Options of {@link buildBaseline}. Column names must be unique. */
export interface BuildBaselineOptions {
  /** Name of each row position: `rows[r][c]` is the value of column `columns[c]`. */
  readonly columns: readonly string[];
  /** Number of quantile bins per numeric feature, 2 … 101; default 10. Ties can merge bins. */
  readonly bins?: number;
  /** Columns profiled as categorical even when all their values are numbers (codes, ids). */
  readonly categorical?: readonly string[];
  /** Columns that are not model inputs (ids, labels): left out of the profile. */
  readonly exclude?: readonly string[];
  /** Column holding the model's output, profiled as `prediction` instead of as a feature. */
  readonly prediction?: string;
  /** Most categories listed per categorical feature, the rest pooled as "__other__"; default 20. */
  readonly maxCategories?: number;
}

/** A cell counts as missing when it is null, undefined, NaN, an empty string, or not a scalar. */
function present(cell: unknown): cell is number | string | boolean {
  if (typeof cell === "number") return !Number.isNaN(cell);
  return (typeof cell === "string" && cell !== "") || typeof cell === "boolean";
}

function numericProfile(name: string, index: number, values: Float64Array, bins: number): BaselineFeature {
  values.sort();
  const edges = quantileEdges(values, bins);
  const locator = new BinLocator(edges); // the monitor's own binning, so both agree on every value
  const counts = new Float64Array(edges.length + 1);
  let sum = 0;
  for (const v of values) {
    counts[locator.locate(v)]! += 1;
    sum += v;
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  const proportions = Array.from(counts, (c) => c / values.length);
  return { kind: "numeric", name, index, count: values.length, edges, proportions, mean, std: Math.sqrt(squares / values.length) };
}

function categoricalProfile(name: string, index: number, values: readonly string[], maxCategories: number): BaselineFeature {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  counts.delete(OTHER_CATEGORY); // a literal "__other__" value is pooled with the other rare ones
  const ranked = [...counts].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxCategories);
  const listed = ranked.reduce((s, [, c]) => s + c, 0);
  return {
    kind: "categorical",
    name,
    index,
    count: values.length,
    categories: [...ranked.map(([c]) => c), OTHER_CATEGORY],
    proportions: [...ranked.map(([, c]) => c / values.length), (values.length - listed) / values.length],
  };
}

/** Profiles one column: categorical if forced or if any value is not a finite number. */
function profileColumn(
  rows: readonly (readonly unknown[])[],
  column: number,
  name: string,
  index: number,
  forceCategorical: boolean,
  options: { bins: number; maxCategories: number },
): BaselineFeature {
  const cells = rows.map((row) => row[column]).filter(present);
  if (cells.length === 0) throw new BaselineError(`Column "${name}" has no values; exclude it or fill it`);
  const numeric = !forceCategorical && cells.every((c) => typeof c === "number" && Number.isFinite(c));
  return numeric
    ? numericProfile(name, index, Float64Array.from(cells as number[]), options.bins)
    : categoricalProfile(name, index, cells.map(String), options.maxCategories);
}

function checkOptions(options: BuildBaselineOptions): { bins: number; maxCategories: number } {
  const { columns, bins = 10, maxCategories = 20 } = options;
  if (!Number.isInteger(bins) || bins < 2 || bins > 101) throw new BaselineError(`bins must be an integer from 2 to 101, got ${bins}`);
  if (!Number.isInteger(maxCategories) || maxCategories < 1 || maxCategories > 1000) {
    throw new BaselineError(`maxCategories must be an integer from 1 to 1000, got ${maxCategories}`);
  }
  if (new Set(columns).size !== columns.length) throw new BaselineError("Column names must be unique");
  const named = [...(options.categorical ?? []), ...(options.exclude ?? []), ...(options.prediction === undefined ? [] : [options.prediction])];
  const unknown = named.filter((c) => !columns.includes(c));
  if (unknown.length > 0) throw new BaselineError(`Unknown column(s): ${unknown.join(", ")}; columns are ${columns.join(", ")}`);
  return { bins, maxCategories };
}

/**
 * Builds a baseline profile from reference rows. Pure and deterministic. Each column that is not
 * excluded becomes a feature whose `index` is its position among the feature columns (the
 * prediction and excluded columns do not count), which is its position in the model's input row.
 * Numeric features get quantile bin edges (see quantileEdges), the share of values per bin, mean
 * and population standard deviation; categorical ones the share of the `maxCategories` most
 * frequent values (ties by name) and "__other__" for the rest. Missing cells are skipped.
 * Throws BaselineError for no rows, bad options, no feature columns or a column with no values.
 */
export function buildBaseline(rows: readonly (readonly unknown[])[], options: BuildBaselineOptions): Baseline {
  const settings = checkOptions(options);
  if (rows.length === 0) throw new BaselineError("No rows to build a baseline from");
  const categorical = new Set(options.categorical);
  const skip = new Set([...(options.exclude ?? []), ...(options.prediction === undefined ? [] : [options.prediction])]);
  const features: BaselineFeature[] = [];
  options.columns.forEach((name, column) => {
    if (!skip.has(name)) features.push(profileColumn(rows, column, name, features.length, categorical.has(name), settings));
  });
  if (features.length === 0) throw new BaselineError("No feature columns left after exclusions");
  const p = options.prediction;
  const prediction = p === undefined ? undefined : profileColumn(rows, options.columns.indexOf(p), p, 0, categorical.has(p), settings);
  return validateBaseline({ version: 1, features, ...(prediction !== undefined && { prediction }) });
}
