// spec.rollout.analysis: the checks that promote a canary or roll it back.
import { z } from "zod";
import { duration } from "./duration.ts";
import { listMap } from "./lists.ts";
import { dnsLabel } from "./names.ts";
import { withRules } from "./rules.ts";
import { falseAlarmRate, MAX_PSI, minWindow, psiThreshold } from "./drift-test.ts";
import { GroundTruthCheckSpec } from "./ground-truth.ts";
import { AgreementCheckSpec } from "./shadow.ts";

export { MAX_PSI, psiThreshold } from "./drift-test.ts";
export const METRIC_PROVIDERS = ["prometheus", "agent"] as const;

const MetricCheckShape = z
  .strictObject({
    name: dnsLabel("Name of the check, unique within the analysis; shown in status and events."),
    provider: z
      .enum(METRIC_PROVIDERS)
      .describe(
        "Where the value comes from: `prometheus` runs `query` as PromQL against the " +
          "operator's Prometheus; `agent` reads the MDO agent metric named by `query` from the " +
          "canary's pods directly.",
      ),
    query: z
      .string()
      .min(1)
      .max(1024)
      .describe(
        "PromQL expression returning one value (prometheus), or an agent metric name " +
          "(agent). In PromQL, {{revision}} and {{namespace}} are replaced by the canary's.",
      ),
    min: z.number().optional().describe("The check fails when the value is below min."),
    max: z.number().optional().describe("The check fails when the value is above max."),
  })
  .describe("A custom check on one metric of the canary.");

export const MetricCheck = withRules(MetricCheckShape, [
  {
    cel: "has(self.min) || has(self.max)",
    holds: (self) => self.min !== undefined || self.max !== undefined,
    message: "spec.rollout.analysis.metrics[] needs min, max or both: a check without bounds cannot fail",
  },
  {
    cel: "!has(self.min) || !has(self.max) || self.min <= self.max",
    holds: (self) => self.min === undefined || self.max === undefined || self.min <= self.max,
    message: "spec.rollout.analysis.metrics[].min must be less than or equal to its max",
    fieldPath: ".min",
  },
]);

const AnalysisShape = z
  .strictObject({
    interval: duration("How often the checks run, from 10s to 1h.", {
      min: "10s",
      max: "1h",
    }).default("1m"),
    provider: z
      .enum(METRIC_PROVIDERS)
      .default("agent")
      .describe(
        "Where the built-in checks (successRate, latencyP99, drift) read the canary's numbers: " +
          "`agent` reads the canary's MDO agents directly (found through EndpointSlices; no " +
          "Prometheus needed); `prometheus` queries the Prometheus the operator is configured " +
          "with (--prometheus-url) over the agents' metrics.",
      ),
    failureLimit: z
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe(
        "Failed intervals tolerated during one rollout before the canary is rolled back, 0 to " +
          "10; 0 rolls back at the first failed interval.",
      ),
    minRequests: z
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe(
        "Fewest requests the canary must serve in an interval for the checks to count; an " +
          "interval with fewer neither passes nor fails. When absent, every interval counts.",
      ),
    successRate: z
      .strictObject({
        min: z
          .number()
          .min(0)
          .max(1)
          .describe("Lowest acceptable fraction of non-error responses, 0 to 1 (0.99 = 99%)."),
      })
      .optional()
      .describe("Fails the interval when the canary's success rate is below min."),
    latencyP99: z
      .strictObject({
        maxMs: z
          .int()
          .min(1)
          .max(600_000)
          .describe("Highest acceptable 99th percentile latency in milliseconds, 1 to 600000."),
      })
      .optional()
      .describe("Fails the interval when the canary's p99 latency is above maxMs."),
    drift: z
      .strictObject({
        falseAlarmRate: falseAlarmRate(
          "Chance that an interval fails on drift when the canary's inputs have not drifted " +
            "(family-wise over every feature and comparison: each test is run at falseAlarmRate / tests).",
        ),
        minWindow: minWindow(
          "Rows of the canary's windows (pooled over its pods; with provider prometheus, of one " +
            "pod's window) an interval needs to decide; smaller windows leave the check without data.",
        ),
        maxPSI: psiThreshold(
          `Optional minimum effect size, above 0 and at most ${MAX_PSI}: a feature fails the ` +
            "check only when its test is significant and its PSI is above this. Agents that send " +
            "no bin counts are judged by PSI above it alone (default 0.25).",
        ).optional(),
      })
      .optional()
      .describe(
        "Fails the interval when the canary's inputs differ from the baseline or from the stable " +
          "revision's live inputs, by the χ² homogeneity test of each feature's binned counts " +
          "(docs/drift.md). Needs spec.monitoring.drift, which names the baseline.",
      ),
    groundTruth: GroundTruthCheckSpec.optional(),
    agreement: AgreementCheckSpec.optional(),
    metrics: listMap(z.array(MetricCheck).min(1).max(10), "name")
      .optional()
      .describe("Custom metric checks, 1 to 10, with unique names."),
  })
  .describe(
    "Checks run on the canary every interval. The canary advances when all checks pass and is " +
      "rolled back when more than failureLimit intervals fail.",
  );

export const AnalysisSpec = withRules(AnalysisShape, [
  {
    cel: "has(self.successRate) || has(self.latencyP99) || has(self.drift) || has(self.groundTruth) || has(self.agreement) || has(self.metrics)",
    holds: (self) =>
      self.successRate !== undefined ||
      self.latencyP99 !== undefined ||
      self.drift !== undefined ||
      self.groundTruth !== undefined ||
      self.agreement !== undefined ||
      self.metrics !== undefined,
    message:
      "spec.rollout.analysis needs at least one check: successRate, latencyP99, drift, groundTruth, agreement or metrics",
  },
]);
export type AnalysisSpec = z.output<typeof AnalysisSpec>;
