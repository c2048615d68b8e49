// spec.replicas and spec.autoscaling: how many model server replicas run.
import { z } from "zod";
import { withRules } from "./rules.ts";

/** Cap on replicas per revision: beyond it a typo, not a plan, is the likely cause. */
export const MAX_REPLICAS = 1000;

export const Replicas = z
  .int()
  .min(0)
  .max(MAX_REPLICAS)
  .describe(
    `Fixed number of replicas, 0 to ${MAX_REPLICAS}. Set at most one of replicas and ` +
      "autoscaling; with neither, 1 replica runs (status.defaults.replicas says so). This is also " +
      "the scale subresource, so `kubectl scale` works; 0 keeps the object but runs no replicas " +
      "(see also suspend).",
  );

const AutoscalingShape = z
  .strictObject({
    minReplicas: z
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .describe(
        `Fewest replicas, 1 to ${MAX_REPLICAS}. Scale to zero is not supported, so 0 is ` +
          "refused rather than silently raised to 1.",
      ),
    maxReplicas: z
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .describe(`Most replicas, 1 to ${MAX_REPLICAS}; at least minReplicas.`),
    targetCPUUtilization: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "Target average CPU utilisation of the model server, in percent of its CPU request " +
          "(1-100): spec.resources.requests.cpu, else the serving runtime's default CPU request.",
      ),
    targetRequestsPerSecond: z
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe(
        "Target average requests per second per replica (1-100000), as measured by the MDO " +
          "agent. Needs a custom metrics adapter serving the agent's metrics.",
      ),
  })
  .describe(
    "Horizontal autoscaling of each revision between minReplicas and maxReplicas. Set at least " +
      "one target; with two targets the larger replica count wins. Set at most one of replicas " +
      "and autoscaling.",
  );

export const AutoscalingSpec = withRules(AutoscalingShape, [
  {
    cel: "self.minReplicas <= self.maxReplicas",
    holds: (self) => self.minReplicas <= self.maxReplicas,
    message:
      "spec.autoscaling.minReplicas must be less than or equal to spec.autoscaling.maxReplicas",
    fieldPath: ".minReplicas",
  },
  {
    cel: "has(self.targetCPUUtilization) || has(self.targetRequestsPerSecond)",
    holds: (self) =>
      self.targetCPUUtilization !== undefined || self.targetRequestsPerSecond !== undefined,
    message:
      "spec.autoscaling needs at least one target: set targetCPUUtilization or targetRequestsPerSecond",
  },
]);
export type AutoscalingSpec = z.output<typeof AutoscalingSpec>;
