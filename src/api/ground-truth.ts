// spec.monitoring.groundTruth and spec.rollout.analysis.groundTruth: how labels posted to the
// agents (POST /mdo/feedback) are kept and scored, and the quality the model must keep.
import { z } from "zod";
import { duration } from "./duration.ts";
import { tiedField, withRules, type Rule } from "./rules.ts";

export const GROUND_TRUTH_KINDS = ["Classification", "Regression"] as const;

const minAccuracy = (what: string) => z.number().min(0).max(1).optional().describe(`${what} Classification only; 0 to 1.`);
const maxMeanAbsoluteError = (what: string) => z.number().min(0).optional().describe(`${what} Regression only; in the label's unit.`);
const minLabels = (what: string, fallback: number) => z.int().min(1).max(10_000_000).default(fallback).describe(`${what} 1 to 10000000; default ${fallback}.`);

const GroundTruthShape = z.strictObject({
  kind: z.enum(GROUND_TRUTH_KINDS).describe("How labels are scored: Classification (accuracy) or Regression (mean absolute error, RMSE)."),
  ttl: duration("How long an answered request's predictions wait for a label, 1m to 168h; default 1h.", { min: "1m", max: "168h" }).default("1h"),
  maxPredictions: z
    .int()
    .min(1)
    .max(10_000_000)
    .default(100_000)
    .describe("Most answered requests each replica keeps waiting for labels, 1 to 10000000 (the oldest go first); default 100000."),
  minAccuracy: minAccuracy("ModelPerformance turns False when the serving revision's accuracy over its labelled predictions is below this."),
  maxMeanAbsoluteError: maxMeanAbsoluteError("ModelPerformance turns False when the serving revision's mean absolute error is above this."),
  minLabels: minLabels("Labelled predictions the serving revision needs before ModelPerformance decides.", 100),
});

/** The two thresholds each belong to one kind. */
function kindRules<T extends { kind: string }>(path: string): Rule<T>[] {
  return [
    ...tiedField<T>({ path, field: "minAccuracy", discriminator: "kind", value: "Classification" }),
    ...tiedField<T>({ path, field: "maxMeanAbsoluteError", discriminator: "kind", value: "Regression" }),
  ];
}

export const GroundTruthMonitoringSpec = withRules(GroundTruthShape, kindRules("spec.monitoring.groundTruth"))
  .describe(
    "Ground truth: each answer carries x-mdo-request-id; labels posted later to POST /mdo/feedback " +
      "on the model's endpoint are joined with the predictions and scored per revision " +
      "(status.performance, the ModelPerformance condition, agent metrics mdo_agent_feedback_*).",
  );
export type GroundTruthMonitoringSpec = z.output<typeof GroundTruthMonitoringSpec>;

const GroundTruthCheckShape = z.strictObject({
  minAccuracy: minAccuracy("Fails the interval when the canary's accuracy over the labels joined in it is below this."),
  maxMeanAbsoluteError: maxMeanAbsoluteError("Fails the interval when the canary's mean absolute error over the labels joined in it is above this."),
  minLabels: minLabels("Labels joined for the canary in the interval before the check decides; fewer leave it without data.", 50),
});

export const GroundTruthCheckSpec = withRules(GroundTruthCheckShape, [
  {
    cel: "has(self.minAccuracy) != has(self.maxMeanAbsoluteError)",
    holds: (self) => (self.minAccuracy === undefined) !== (self.maxMeanAbsoluteError === undefined),
    message: "spec.rollout.analysis.groundTruth needs exactly one of minAccuracy (classification) and maxMeanAbsoluteError (regression)",
  },
]).describe(
  "Fails the interval when the canary's predictions, scored against labels posted to the agents, " +
    "are worse than the threshold. Needs spec.monitoring.groundTruth (of the matching kind).",
);
export type GroundTruthCheckSpec = z.output<typeof GroundTruthCheckSpec>;
