// status.rollout: the rollout state machine's memory (src/rollout/state.ts), persisted so that a
// restarted operator continues a rollout exactly where it was. People read status.canary,
// status.traffic and the conditions; this object is for the operator and for debugging.
import { z } from "zod";
import { timestamp } from "./condition.ts";

export const ROLLOUT_PHASES = ["Stable", "Progressing", "Promoting", "RolledBack"] as const;

const revisionRef = (description: string) =>
  z
    .object({
      revision: z.string().min(1).max(63).describe("Revision name."),
      modelVersion: z.string().max(63).optional().describe("Model version of the revision."),
    })
    .describe(description);

const hooks = z
  .object({
    preRolloutPending: z
      .boolean()
      .optional()
      .describe("The PreRollout webhooks have not all answered 2xx yet; the new revision gets no traffic until they have."),
    confirmAt: timestamp("When the ConfirmPromotion webhooks are asked again.").optional(),
    rollbackAt: timestamp("When the Rollback webhooks are asked next.").optional(),
    notify: z
      .object({
        revision: z.string().min(1).max(63).describe("The revision whose rollout ended."),
        modelVersion: z.string().max(63).optional().describe("Its model version."),
        outcome: z.enum(["Promoted", "RolledBack", "Aborted"]).describe("How the rollout ended."),
        time: timestamp("When it ended."),
        step: z.int().min(0).max(10).describe("The canary step it ended at, from 0."),
        weight: z.int().min(0).max(100).describe("The new revision's traffic percent then (100 when promoted)."),
      })
      .optional()
      .describe("A finished rollout whose PostRollout webhooks are still to be called."),
  })
  .describe("Webhook bookkeeping (spec.rollout.webhooks).");

const commandId = (kind: string) =>
  z.string().max(253).optional().describe(`Last acknowledged value of the mdo.dev/${kind} annotation.`);

export const RolloutStateStatus = z
  .object({
    phase: z
      .enum(ROLLOUT_PHASES)
      .describe(
        "Stable: one revision serves everything. Progressing: a new revision is being rolled out. " +
          "Promoting: the new revision is scaled to full size before traffic switches. " +
          "RolledBack: the new revision was stopped; stable serves everything until retry or a new revision.",
      ),
    stable: revisionRef("The revision serving production traffic."),
    canary: revisionRef("The revision being rolled out, or held back after a rollback.").optional(),
    previous: revisionRef("The revision the stable one replaced, kept at zero replicas as the target of a drift rollback.").optional(),
    shadowing: z.boolean().optional().describe("In the shadow phase, before step 0: the new revision gets only mirrored requests."),
    step: z.int().min(0).max(10).describe("Index of the current canary step, from 0."),
    weight: z.int().min(0).max(100).describe("Percent of traffic the new revision should receive now."),
    stepStartedAt: timestamp("When the current step started.").optional(),
    blockedSince: timestamp(
      "Since when the rollout waits for something it does not control (readiness, analysis); the progress deadline counts from here.",
    ).optional(),
    pausedByPerson: z.boolean().describe("A person paused the rollout (mdo.dev/pause annotation)."),
    analysis: z
      .object({
        nextAt: timestamp("When the next analysis interval is due.").optional(),
        failedChecks: z.int().min(0).describe("Failed analysis intervals in this rollout."),
        passedThisStep: z.boolean().describe("An interval passed since the current step started."),
      })
      .describe("Analysis bookkeeping."),
    retiring: z
      .object({
        revision: z.string().min(1).max(63).describe("Revision kept running after it was replaced."),
        at: timestamp("When it is retired."),
      })
      .optional()
      .describe("A replaced revision kept for a fast rollback until `at` (BlueGreen scaleDownDelay)."),
    acknowledged: z
      .object({
        retry: commandId("retry"),
        promote: commandId("promote"),
        pause: commandId("pause"),
        resume: commandId("resume"),
        abort: commandId("abort"),
      })
      .describe("Manual commands already acted on; each annotation value is acted on once."),
    webhooks: hooks.optional(),
    replicaBudget: z
      .int()
      .min(1)
      .optional()
      .describe("Replicas shared by the stable and the new revision during this rollout, fixed when it started."),
    reason: z.string().max(1024).describe("Why the rollout is where it is (CamelCase)."),
    message: z.string().max(32768).describe("Why the rollout is where it is, for people."),
  })
  .describe("The rollout's persisted state, written by the operator; read status.canary and conditions instead.");
export type RolloutStateStatus = z.output<typeof RolloutStateStatus>;

export const VERDICT_STATUSES = ["pass", "fail", "noData"] as const;

/** One check's verdict in the last analysis interval, as status shows it. */
export const CheckResult = z
  .object({
    name: z.string().min(1).max(63).describe("Check name: successRate, latencyP99, drift or a custom check's name."),
    status: z.enum(VERDICT_STATUSES).describe("pass, fail, or noData (inconclusive: neither pass nor fail)."),
    value: z.number().optional().describe("The measured value, when there was one."),
    reason: z.string().max(1024).describe("CamelCase reason, e.g. SuccessRateBelowMin or NoRequests."),
    message: z.string().max(2048).describe("The value against its threshold, for people."),
  })
  .describe("Verdict of one check.");
