// The baseline profile: the distributions of a model's training (or reference) data that live
// traffic is compared with. `mdo baseline build` writes it; the agent reads it from a ConfigMap.
import { z } from "zod";
import { documentParsers } from "../runtime/parse-with.ts";

/** Name of the categorical bucket that holds every value not listed in the baseline. */
export const OTHER_CATEGORY = "__other__";
/** Most bin edges of a numeric feature (so at most 101 bins): keeps binary search to ≤ 7 steps. */
export const MAX_EDGES = 100;
/** Most listed categories of a categorical feature, besides {@link OTHER_CATEGORY}. */
export const MAX_CATEGORIES = 1000;
/** How far the proportions of one feature may sum from 1 (rounding in the writer). */
const SUM_TOLERANCE = 1e-6;

const proportion = z.number().min(0).max(1);
const finite = z.number().refine(Number.isFinite, "must be a finite number");
const sumsToOne = (values: readonly number[]): boolean => Math.abs(values.reduce((s, v) => s + v, 0) - 1) <= SUM_TOLERANCE;

const common = {
  name: z.string().min(1).max(253).describe("Feature name: the key in JSON rows, the input name in v2 requests."),
  index: z.int().min(0).describe("Position of the feature in a row of a v2 input tensor or a JSON array."),
  count: z.int().min(1).describe("Number of non-missing values the profile was built from."),
};

const NumericFeature = z
  .strictObject({
    kind: z.literal("numeric"),
    ...common,
    edges: z
      .array(finite)
      .max(MAX_EDGES)
      .refine((e) => e.every((v, i) => i === 0 || (e[i - 1] ?? v) < v), "must be strictly increasing")
      .describe(
        "Interior bin edges e₁ < … < eₘ, making m + 1 bins: (−∞, e₁), [e₁, e₂), …, [eₘ, +∞). " +
          "The outer bins are open-ended, so every finite value falls into exactly one bin.",
      ),
    proportions: z.array(proportion).refine(sumsToOne, "must sum to 1").describe("Share of values in each bin."),
    mean: finite.describe("Mean of the values."),
    std: z.number().min(0).refine(Number.isFinite).describe("Population standard deviation of the values."),
  })
  .refine((f) => f.proportions.length === f.edges.length + 1, {
    message: "proportions must have one entry more than edges (one per bin)",
    path: ["proportions"],
  });

const CategoricalFeature = z
  .strictObject({
    kind: z.literal("categorical"),
    ...common,
    categories: z
      .array(z.string())
      .min(1)
      .max(MAX_CATEGORIES + 1)
      .refine((c) => c.at(-1) === OTHER_CATEGORY, `must end with "${OTHER_CATEGORY}"`)
      .refine((c) => new Set(c).size === c.length, "must be unique")
      .describe(`Categories (values as strings), the last one "${OTHER_CATEGORY}" for every value not listed.`),
    proportions: z.array(proportion).refine(sumsToOne, "must sum to 1").describe("Share of values in each category."),
  })
  .refine((f) => f.proportions.length === f.categories.length, {
    message: "proportions must have one entry per category",
    path: ["proportions"],
  });

export const BaselineFeature = z.discriminatedUnion("kind", [NumericFeature, CategoricalFeature]);
export type BaselineFeature = z.output<typeof BaselineFeature>;
export type NumericFeature = Extract<BaselineFeature, { kind: "numeric" }>;
export type CategoricalFeature = Extract<BaselineFeature, { kind: "categorical" }>;

/**
 * A baseline profile, version 1. Contract: feature names are unique; indexes are unique; every
 * distribution is a list of bins whose proportions sum to 1. `prediction`, when present, is the
 * distribution of the model's output on the same data (its `index` is the output's position).
 */
export const Baseline = z
  .strictObject({
    version: z.literal(1),
    features: z.array(BaselineFeature).min(1).max(1000),
    prediction: BaselineFeature.optional(),
  })
  .refine((b) => new Set(b.features.map((f) => f.name)).size === b.features.length, {
    message: "feature names must be unique",
    path: ["features"],
  })
  .refine((b) => new Set(b.features.map((f) => f.index)).size === b.features.length, {
    message: "feature indexes must be unique",
    path: ["features"],
  });
export type Baseline = z.output<typeof Baseline>;

/** A baseline that is not valid JSON or not a valid profile; `cause` has the details. */
export class BaselineError extends Error {
  override readonly name = "BaselineError";
}

const baselineParsers = documentParsers(Baseline, "baseline profile", (message, cause) => new BaselineError(message, { cause }));
/** Validates an already-parsed value. Throws BaselineError naming every invalid field. */
export const validateBaseline = baselineParsers.validate;
/** Parses the text of baseline.json. Throws BaselineError for invalid JSON or content. */
export const parseBaseline = baselineParsers.parse;
