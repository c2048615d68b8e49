// spec.rollout: how a new revision (new model, image or settings) replaces the serving one.
import { z } from "zod";
import { AnalysisSpec } from "./analysis.ts";
import { duration, optionalDuration } from "./duration.ts";
import { listAtomic } from "./lists.ts";
import { tiedField, withRules } from "./rules.ts";
import { ShadowSpec } from "./shadow.ts";
import { TrafficRouterSpec } from "./traffic-router.ts";
import { Webhooks } from "./webhooks.ts";

export const ROLLOUT_STRATEGIES = ["Canary", "BlueGreen", "Rolling"] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];
/** Most canary steps; bounds the cost of the step rules for the API server. */
export const MAX_CANARY_STEPS = 10;

const CanaryStep = z
  .strictObject({
    weight: z
      .int()
      .min(1)
      .max(100)
      .describe("Percent of traffic sent to the new revision during this step, 1 to 100."),
    pause: optionalDuration(
      "How long to hold this step (analysis keeps running) before the next one, up to 24h. " +
        "When empty or absent, the rollout waits here until a person promotes it " +
        "(`mdo promote <name>`, or the annotation mdo.dev/promote).",
      { min: "0s", max: "24h" },
    ).optional(),
  })
  .describe("One canary step: a traffic weight held for a pause.");

const CanarySteps = withRules(
  listAtomic(z.array(CanaryStep).min(1).max(MAX_CANARY_STEPS)).describe(
    `Canary steps, 1 to ${MAX_CANARY_STEPS}, with strictly increasing weights. After the last ` +
      "step the new revision is promoted to 100%.",
  ),
  [
    {
      cel:
        "self.map(s, s.weight).isSorted() && " +
        "self.all(s, self.exists_one(t, t.weight == s.weight))",
      holds: (self) => self.every((step, i) => i === 0 || step.weight > (self[i - 1]?.weight ?? 0)),
      message: "spec.rollout.steps[].weight must strictly increase from each step to the next",
    },
  ],
);

const RolloutShape = z
  .strictObject({
    strategy: z
      .enum(ROLLOUT_STRATEGIES)
      .describe(
        "Canary shifts traffic to the new revision step by step, gated by analysis; BlueGreen " +
          "starts the new revision beside the old one and switches all traffic at once after " +
          "analysis; Rolling replaces replicas in place like a Deployment, without analysis.",
      ),
    steps: CanarySteps.optional(),
    shadow: ShadowSpec.optional(),
    analysis: AnalysisSpec.optional(),
    trafficRouter: TrafficRouterSpec.optional(),
    webhooks: Webhooks.optional(),
    progressDeadline: duration(
      "Longest time a rollout may go without progress (a step completed, replicas becoming " +
        "ready) before it is marked Failed and rolled back, 1m to 24h. Pauses waiting for a " +
        "person do not count.",
      { min: "1m", max: "24h" },
    ).default("10m"),
    blueGreen: z
      .strictObject({
        autoPromote: z
          .boolean()
          .default(true)
          .describe("Switch traffic when analysis passes; when false, wait for `mdo promote <name>` (the annotation mdo.dev/promote)."),
        scaleDownDelay: duration(
          "How long the old revision keeps running after the switch, for a fast rollback, 0s to 24h.",
          { min: "0s", max: "24h" },
        ).default("30s"),
      })
      .optional()
      .describe("Settings of the BlueGreen strategy."),
  })
  .describe(
    "How a new revision replaces the serving one. When absent, a Rolling update without " +
      "analysis is used.",
  );

export const RolloutSpec = withRules(RolloutShape, [
  ...tiedField<z.output<typeof RolloutShape>>({
    path: "spec.rollout", field: "steps", discriminator: "strategy", value: "Canary", required: true,
    forbiddenBecause: "other strategies have no traffic steps",
  }),
  {
    cel: "!has(self.analysis) || self.strategy != 'Rolling'",
    holds: (self) => self.analysis === undefined || self.strategy !== "Rolling",
    message:
      "spec.rollout.analysis is not allowed when spec.rollout.strategy is Rolling; use Canary or BlueGreen to gate a rollout on analysis",
    fieldPath: ".analysis",
    reason: "FieldValueForbidden",
  },
  {
    cel: "!has(self.webhooks) || self.strategy != 'Rolling'",
    holds: (self) => self.webhooks === undefined || self.strategy !== "Rolling",
    message:
      "spec.rollout.webhooks is not allowed when spec.rollout.strategy is Rolling; a rolling update has no steps to gate",
    fieldPath: ".webhooks",
    reason: "FieldValueForbidden",
  },
  {
    cel: "!has(self.trafficRouter) || self.strategy != 'Rolling'",
    holds: (self) => self.trafficRouter === undefined || self.strategy !== "Rolling",
    message:
      "spec.rollout.trafficRouter is not allowed when spec.rollout.strategy is Rolling; a rolling update does not split traffic",
    fieldPath: ".trafficRouter",
    reason: "FieldValueForbidden",
  },
  ...tiedField<z.output<typeof RolloutShape>>({ path: "spec.rollout", field: "blueGreen", discriminator: "strategy", value: "BlueGreen" }),
  ...tiedField<z.output<typeof RolloutShape>>({
    path: "spec.rollout", field: "shadow", discriminator: "strategy", value: "Canary",
    forbiddenBecause: "the shadow phase comes before a canary's first step",
  }),
  {
    cel: "has(self.shadow) || !has(self.analysis) || !has(self.analysis.agreement)",
    holds: (self) => self.shadow !== undefined || self.analysis?.agreement === undefined,
    message: "spec.rollout.analysis.agreement needs spec.rollout.shadow: only a shadow phase compares answers",
    fieldPath: ".analysis.agreement",
    reason: "FieldValueRequired",
  },
]);
export type RolloutSpec = z.output<typeof RolloutSpec>;
