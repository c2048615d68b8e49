// spec.replicas and spec.autoscaling: how many model server replicas run.
import { z } from "zod";
import { duration, parseDuration } from "./duration.ts";
import { withRules } from "./rules.ts";

/** Smallest autoscaling target. */
const MIN_TARGET = 0.01;

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

/** How long a revision that may scale to zero waits without requests before it does (scaleToZero.idleAfter). */
export const DEFAULT_IDLE_AFTER = "5m";

/** What the autoscaler measures per pod: CPU (an HPA scales) or the agents' load (the operator scales). */
export const AUTOSCALING_METRICS = ["cpu", "concurrency", "rps"] as const;
export type AutoscalingMetric = (typeof AUTOSCALING_METRICS)[number];

const AutoscalingShape = z
  .strictObject({
    minReplicas: z
      .int()
      .min(0)
      .max(MAX_REPLICAS)
      .describe(
        `Fewest replicas, 0 to ${MAX_REPLICAS}. 0 scales to zero after scaleToZero.idleAfter ` +
          "without requests (metric concurrency or rps only): requests that arrive then are held " +
          "by the MDO activator until a pod is ready (docs/autoscaling.md).",
      ),
    maxReplicas: z
      .int()
      .min(1)
      .max(MAX_REPLICAS)
      .describe(`Most replicas, 1 to ${MAX_REPLICAS}; at least minReplicas.`),
    metric: z
      .enum(AUTOSCALING_METRICS)
      .optional()
      .describe(
        "What to scale on, per pod: cpu (utilisation of the model server's CPU request; a " +
          "HorizontalPodAutoscaler scales, metrics-server needed), concurrency (requests in flight " +
          "at the MDO agent) or rps (requests per second at the agent); for concurrency and rps the " +
          "operator itself is the autoscaler, reading the agents (docs/autoscaling.md). Default cpu, " +
          "or what targetCPUUtilization / targetRequestsPerSecond imply.",
      ),
    target: withRules(
      z
        .number()
        .min(MIN_TARGET)
        .max(100_000)
        .describe(
          "Target per pod for the metric: requests in flight (concurrency), requests per second " +
            "(rps) or percent of the CPU request (cpu, 1-100).",
        ),
      // The API server checks an integer against a fractional minimum after truncating the
      // minimum (0.01 → 0), so `target: 0` passed the schema alone; CEL compares as doubles.
      [{ cel: `self >= ${MIN_TARGET}`, holds: (self) => self >= MIN_TARGET, message: `must be at least ${MIN_TARGET}` }],
    ).optional(),
    targetCPUUtilization: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "Shorthand for metric cpu with this target: average CPU utilisation of the model server, " +
          "in percent of its CPU request (1-100): spec.resources.requests.cpu, else the serving " +
          "runtime's default CPU request.",
      ),
    targetRequestsPerSecond: z
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe("Shorthand for metric rps with this target: requests per second per replica, measured by the MDO agents."),
    window: duration("concurrency and rps: the stable window the load is averaged over, 6s to 1h; default 60s.", { min: "6s", max: "1h" })
      .default("60s"),
    panicWindow: duration(
      "concurrency and rps: the short window that decides a fast scale-up when load in it needs at " +
        "least twice the ready pods, 1s to 10m and shorter than window; default 6s.",
      { min: "1s", max: "10m" },
    ).default("6s"),
    scaleToZero: z
      .strictObject({
        idleAfter: duration(
          "How long the serving revision must receive no request before it scales to zero, 5s to " +
            "24h; default 5m.",
          { min: "5s", max: "24h" },
        ).default(DEFAULT_IDLE_AFTER),
      })
      .optional()
      .describe("With minReplicas 0: when to scale to zero. Leaving it out with minReplicas 0 uses its defaults."),
    scaleDownDelay: duration(
      "concurrency and rps: how long a lower replica count must be recommended before it is " +
        "applied, 0s to 1h; default 0s (the stable window alone smooths).",
      { min: "0s", max: "1h" },
    ).default("0s"),
  })
  .describe(
    "Horizontal autoscaling of the serving revision between minReplicas and maxReplicas, on one " +
      "metric. Set at most one of replicas and autoscaling. During a rollout the rollout sizes " +
      "every revision (docs/rollouts.md).",
  );

/** The fields that name what autoscaling scales on. */
interface AutoscalingTargetFields {
  readonly metric?: AutoscalingMetric | undefined;
  readonly target?: number | undefined;
  readonly targetCPUUtilization?: number | undefined;
  readonly targetRequestsPerSecond?: number | undefined;
}

const TARGETS = "[has(self.target), has(self.targetCPUUtilization), has(self.targetRequestsPerSecond)]";

export const AutoscalingSpec = withRules(AutoscalingShape, [
  {
    cel: "self.minReplicas <= self.maxReplicas",
    holds: (self) => self.minReplicas <= self.maxReplicas,
    message:
      "spec.autoscaling.minReplicas must be less than or equal to spec.autoscaling.maxReplicas",
    fieldPath: ".minReplicas",
  },
  {
    cel: `${TARGETS}.exists(t, t)`,
    holds: (self) => self.target !== undefined || self.targetCPUUtilization !== undefined || self.targetRequestsPerSecond !== undefined,
    message:
      "spec.autoscaling needs a target: set target (with metric), targetCPUUtilization or targetRequestsPerSecond",
  },
  {
    cel: `${TARGETS}.filter(t, t).size() <= 1`,
    holds: (self) => [self.target, self.targetCPUUtilization, self.targetRequestsPerSecond].filter((t) => t !== undefined).length <= 1,
    message:
      "spec.autoscaling scales on one metric: set only one of target, targetCPUUtilization and targetRequestsPerSecond",
  },
  {
    cel:
      "!has(self.metric) || ((!has(self.targetCPUUtilization) || self.metric == 'cpu') && " +
      "(!has(self.targetRequestsPerSecond) || self.metric == 'rps'))",
    holds: (self) =>
      self.metric === undefined ||
      ((self.targetCPUUtilization === undefined || self.metric === "cpu") &&
        (self.targetRequestsPerSecond === undefined || self.metric === "rps")),
    message:
      "spec.autoscaling.metric contradicts its shorthand: targetCPUUtilization means metric cpu, targetRequestsPerSecond metric rps",
    fieldPath: ".metric",
  },
  {
    cel: "!has(self.target) || (has(self.metric) && self.metric != 'cpu') || (self.target >= 1.0 && self.target <= 100.0)",
    holds: (self) => self.target === undefined || (self.metric !== undefined && self.metric !== "cpu") || (self.target >= 1 && self.target <= 100),
    message: "spec.autoscaling.target is a CPU utilisation percent for metric cpu: 1 to 100",
    fieldPath: ".target",
  },
  {
    cel: "self.minReplicas > 0 || (has(self.metric) && self.metric != 'cpu') || has(self.targetRequestsPerSecond)",
    holds: (self) => self.minReplicas > 0 || autoscalingTarget(self).metric !== "cpu",
    message:
      "spec.autoscaling.minReplicas 0 (scale to zero) needs metric concurrency or rps: a HorizontalPodAutoscaler on cpu cannot scale to zero",
    fieldPath: ".minReplicas",
  },
  {
    cel: "!has(self.scaleToZero) || self.minReplicas == 0",
    holds: (self) => self.scaleToZero === undefined || self.minReplicas === 0,
    message: "spec.autoscaling.scaleToZero applies only with minReplicas 0",
    fieldPath: ".scaleToZero",
  },
  {
    cel: "duration(self.panicWindow) < duration(self.window)",
    holds: (self) => (parseDuration(self.panicWindow) ?? 0) < (parseDuration(self.window) ?? Infinity),
    message: "spec.autoscaling.panicWindow must be shorter than spec.autoscaling.window",
    fieldPath: ".panicWindow",
  },
]);
export type AutoscalingSpec = z.output<typeof AutoscalingSpec>;

/** The metric and per-pod target `autoscaling` scales on, its shorthands resolved. */
export function autoscalingTarget(autoscaling: AutoscalingTargetFields): { metric: AutoscalingMetric; target: number } {
  if (autoscaling.targetCPUUtilization !== undefined) return { metric: "cpu", target: autoscaling.targetCPUUtilization };
  if (autoscaling.targetRequestsPerSecond !== undefined) return { metric: "rps", target: autoscaling.targetRequestsPerSecond };
  return { metric: autoscaling.metric ?? "cpu", target: autoscaling.target ?? 0 };
}
