// spec.monitoring: what the operator watches on the serving revision, and what it does about it.
import { z } from "zod";
import { falseAlarmRate, MAX_PSI, minWindow, psiThreshold } from "./drift-test.ts";
import { duration } from "./duration.ts";
import { GroundTruthMonitoringSpec } from "./ground-truth.ts";
import { configKey, dnsSubdomain } from "./names.ts";
import { tiedField, withRules } from "./rules.ts";

export const DRIFT_ACTIONS = ["Alert", "Rollback", "Retrain"] as const;
export type DriftAction = (typeof DRIFT_ACTIONS)[number];

/** A free-form object kept as written: the API server does not prune or check its fields. */
function freeForm(description: string) {
  return z
    .record(z.string(), z.unknown())
    .meta({ "x-kubernetes-preserve-unknown-fields": true })
    .describe(description);
}

const RetrainJobTemplate = z
  .strictObject({
    metadata: freeForm("Labels and annotations of the Job (a metav1.ObjectMeta).").optional(),
    spec: freeForm("The Job's spec (a batch/v1 JobSpec), checked by the API server when the Job is created."),
  })
  .describe(
    "Template of the batch/v1 Job started when drift exceeds the threshold and action is " +
      "Retrain. The Job gets the environment variables MDO_MODEL_URI and MDO_DRIFT_REPORT.",
  );

const DriftShape = z
  .strictObject({
    baselineRef: z
      .strictObject({
        configMapName: dnsSubdomain(
          "Name of a ConfigMap in the same namespace holding the baseline profile (`mdo baseline` writes one).",
        ),
        key: configKey("Key of the profile in the ConfigMap.").default("baseline.json"),
      })
      .describe("The feature distributions of the training data that live traffic is compared with."),
    window: z
      .int()
      .min(100)
      .max(1_000_000)
      .default(1000)
      .describe("Rows each agent bins into one window before it reports (or 10 minutes' worth), 100 to 1000000."),
    falseAlarmRate: falseAlarmRate(
      "Chance of a drift alarm when the inputs have not drifted, per check (family-wise over all " +
        "features: each is tested at falseAlarmRate / features).",
    ),
    minWindow: minWindow("Rows (pooled over the revision's pods) a check needs before it decides; smaller windows never alarm."),
    psiThreshold: psiThreshold(
      `Optional minimum PSI of a drifted feature, above 0 and at most ${MAX_PSI}: a feature is ` +
        "flagged when its test is significant and its PSI is at least this, so very large windows " +
        "do not alarm on trivial shifts. Agents that send no bin counts are judged by PSI above it (default 0.25).",
    ).optional(),
    action: z
      .enum(DRIFT_ACTIONS)
      .default("Alert")
      .describe(
        "What drift triggers besides the DataDrift condition: Alert only reports (condition, " +
          "event, metric); Rollback returns to the previous revision; Retrain starts a Job from " +
          "retrainJobTemplate.",
      ),
    cooldown: duration("Least time between two drift actions, 1m to 168h.", {
      min: "1m",
      max: "168h",
    }).default("1h"),
    retrainJobTemplate: RetrainJobTemplate.optional(),
  })
  .describe(
    "Drift detection: the MDO agent bins every request's features, and the operator compares " +
      "the last window with the baseline and writes status.drift and the DataDrift condition.",
  );

export const DriftMonitoringSpec = withRules(DriftShape, [
  ...tiedField<z.output<typeof DriftShape>>({
    path: "spec.monitoring.drift", field: "retrainJobTemplate", discriminator: "action", value: "Retrain", required: true,
  }),
]);
export type DriftMonitoringSpec = z.output<typeof DriftMonitoringSpec>;

export const MonitoringSpec = z
  .strictObject({ drift: DriftMonitoringSpec.optional(), groundTruth: GroundTruthMonitoringSpec.optional() })
  .describe("Monitoring of the serving revision.");
export type MonitoringSpec = z.output<typeof MonitoringSpec>;
