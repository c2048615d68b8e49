// status.conditions: the metav1.Condition shape, and the condition types MDO sets.
import { z } from "zod";
import { listMap } from "./lists.ts";

/** Condition types MDO sets. Ready summarises; Reconciling and Stalled are abnormal-true (kstatus). */
export const CONDITION_TYPES = [
  "Ready",
  "Reconciling",
  "Stalled",
  "Available",
  "Progressing",
  "DataDrift",
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** An RFC 3339 timestamp as Kubernetes writes it, such as 2025-01-31T12:00:00Z. */
export function timestamp(description: string) {
  return z.iso.datetime({ offset: true }).describe(description);
}

export const Condition = z
  .object({
    type: z
      .string()
      .min(1)
      .max(316)
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/)
      .describe(`Condition type in CamelCase; MDO sets ${CONDITION_TYPES.join(", ")}.`),
    status: z.enum(["True", "False", "Unknown"]).describe("Whether the condition holds."),
    observedGeneration: z
      .int()
      .min(0)
      .optional()
      .describe("metadata.generation of the ModelDeployment the condition was computed from."),
    lastTransitionTime: timestamp("When status last changed."),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe("Machine-readable CamelCase reason for the last transition, such as CanaryAnalysisFailed."),
    message: z.string().max(32768).describe("Human-readable details of the last transition."),
  })
  .describe("One aspect of the ModelDeployment's state (metav1.Condition).");
export type Condition = z.output<typeof Condition>;

export const Conditions = listMap(z.array(Condition).max(16), "type").describe(
  "Current conditions, one per type: Ready summarises; Reconciling is true while work is in " +
    "progress; Stalled is true when the operator cannot progress without a change to the spec " +
    "or the cluster; DataDrift is true while inputs drift from the baseline (for a " +
    "BatchPrediction: the run's inputs drifted).",
);

/** status.lastFailure: the current failure, with the time it was first seen. */
export function lastFailure(description: string) {
  return z
    .object({
      reason: z.string().min(1).max(1024).describe("Machine-readable CamelCase reason."),
      message: z.string().max(32768).describe("What failed, for people."),
      time: timestamp("When it failed."),
    })
    .describe(description);
}
