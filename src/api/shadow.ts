// spec.rollout.shadow and spec.rollout.analysis.agreement: a shadow phase before a canary's first
// step, in which the stable revision's agents mirror live requests to the candidate and compare
// the two answers (ADR 0009); the candidate answers no user until the comparison passed.
import { z } from "zod";
import { duration } from "./duration.ts";
import { tiedField, withRules } from "./rules.ts";

export const COMPARISON_MODES = ["Exact", "Label", "Numeric"] as const;
export type ComparisonMode = (typeof COMPARISON_MODES)[number];

const tolerance = (what: string) => z.number().min(0).max(1e12).optional().describe(`${what} Numeric only; 0 to 1e12.`);

const ComparisonShape = z.strictObject({
  mode: z
    .enum(COMPARISON_MODES)
    .default("Exact")
    .describe(
      "How the stable revision's answer and the candidate's are compared, row by row: Exact (equal " +
        "values), Label (the same class: the output's value, or its arg-max for scores), Numeric " +
        "(within absoluteTolerance or relativeTolerance). Default Exact.",
    ),
  fields: z
    .array(z.string().min(1).max(253))
    .min(1)
    .max(64)
    .optional()
    .describe("Outputs (V2 output names, JSON fields of an OpenAI answer) to compare; when absent, all of them. Label compares one."),
  absoluteTolerance: tolerance("Rows agree when |stable − candidate| is at most this."),
  relativeTolerance: tolerance("Rows agree when |stable − candidate| is at most this times |stable|."),
});

type ComparisonShape = z.output<typeof ComparisonShape>;

export const ComparisonSpec = withRules(ComparisonShape, [
  ...tiedField<ComparisonShape>({ path: "spec.rollout.shadow.comparison", field: "absoluteTolerance", discriminator: "mode", value: "Numeric" }),
  ...tiedField<ComparisonShape>({ path: "spec.rollout.shadow.comparison", field: "relativeTolerance", discriminator: "mode", value: "Numeric" }),
  {
    cel: "self.mode != 'Label' || !has(self.fields) || size(self.fields) == 1",
    holds: (self) => self.mode !== "Label" || self.fields === undefined || self.fields.length === 1,
    message: "spec.rollout.shadow.comparison.fields names one output when mode is Label",
    fieldPath: ".fields",
  },
]).describe("How answers are compared.");
export type ComparisonSpec = z.output<typeof ComparisonSpec>;

export const ShadowSpec = z
  .strictObject({
    duration: duration(
      "How long the candidate receives mirrored requests before its first canary step, 10s to 24h " +
        "(analysis must also have passed an interval); default 5m.",
      { min: "10s", max: "24h" },
    ).default("5m"),
    sampleRate: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe("Share of the stable revision's prediction requests mirrored to the candidate, above 0 to 1; default 1."),
    maxInFlight: z
      .int()
      .min(1)
      .max(10_000)
      .default(64)
      .describe("Mirrored requests in flight per stable replica at most, 1 to 10000; more are dropped and counted, never queued. Default 64."),
    timeout: duration("How long a mirrored request may take before it counts as a candidate error, 100ms to 10m; default 10s.", { min: "100ms", max: "10m" }).default("10s"),
    comparison: ComparisonSpec.default({ mode: "Exact" }),
  })
  .describe(
    "Shadow phase (Canary only): before its first step, the candidate runs beside the stable " +
      "revision with no user traffic while the stable revision's agents mirror a share of live " +
      "requests to it and compare the answers (user answers are never delayed or changed). " +
      "analysis.agreement gates it; the candidate's own successRate and latencyP99 are measured on " +
      "the mirrored requests. docs/rollouts.md, \"Shadow phase\".",
  );
export type ShadowSpec = z.output<typeof ShadowSpec>;

export const AgreementCheckSpec = z
  .strictObject({
    min: z.number().min(0).max(1).describe("Lowest share of compared rows on which the candidate's answer agrees with the stable revision's, 0 to 1."),
    minRows: z
      .int()
      .min(1)
      .max(10_000_000)
      .default(100)
      .describe("Compared rows needed before the check decides; fewer leave it without data (the phase waits). 1 to 10000000; default 100."),
  })
  .describe(
    "Fails the shadow phase's interval when the candidate's answers agree with the stable " +
      "revision's on fewer than `min` of the rows compared since the phase began. Needs spec.rollout.shadow.",
  );
export type AgreementCheckSpec = z.output<typeof AgreementCheckSpec>;
