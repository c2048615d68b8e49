// BatchPrediction.spec: a model run over a dataset, once or on a schedule.
import { z } from "zod";
import { BatchInputSpec, BatchOutputSpec } from "./batch-io.ts";
import { duration } from "./duration.ts";
import { ModelSpec } from "./model.ts";
import { DNS1035_LABEL, dnsSubdomain, imageReference } from "./names.ts";
import { ResourcesSpec } from "./resources.ts";
import { celString, withRules } from "./rules.ts";
import { NodeSelector, Tolerations } from "./scheduling.ts";

/** Five cron fields (minute hour day-of-month month day-of-week) or a macro such as @daily. */
const CRON = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[^ ]+( +[^ ]+){4})$";
const CRON_REGEX = new RegExp(CRON);
/** A failure ratio strictly between 0 and 1, such as "0.01". */
const RATIO = "^0?[.][0-9]+$";
const RATIO_REGEX = new RegExp(RATIO);

export const MAX_PARALLELISM = 100;

const ModelDeploymentRef = z
  .strictObject({
    name: z.string().min(1).max(63).regex(DNS1035_LABEL).describe("Name of a ModelDeployment in the same namespace."),
  })
  .describe(
    "Score with what production serves: the ModelDeployment's stable revision — its model, " +
      "runtime, image and resources — as it is when a run starts.",
  );

const MaxFailedRows = withRules(
  z
    .union([z.int().min(0), z.string().min(2).max(20).regex(RATIO_REGEX)])
    .meta({ "x-kubernetes-int-or-string": true })
    .describe(
      "Failed rows (malformed, or rejected by the model) tolerated over the whole input: a count " +
        "(100), or a ratio of the rows as a string (\"0.01\"). More fails the run. Default: unlimited.",
    ),
  [
    {
      cel: `type(self) == int || (string(self).matches(${celString(RATIO)}) && double(string(self)) > 0.0)`,
      holds: (self) => typeof self === "number" || Number(self) > 0,
      message: "must be a whole number of rows or a ratio string between 0 and 1 exclusive, such as \"0.01\"",
    },
  ],
);

const Timeouts = z
  .strictObject({
    run: duration("Longest a run may take, all shards and retries included (the Job's activeDeadlineSeconds); then it fails with DeadlineExceeded. Default: none.", { min: "1m", max: "168h" }).optional(),
    request: duration("Longest wait for one inference call before it is retried.", { min: "1s", max: "1h" }).default("60s"),
    modelLoad: duration("Longest wait for the model server to load the model in each worker pod.", { min: "10s", max: "1h" }).default("10m"),
  })
  .describe("Time limits.");

const SpecShape = z
  .strictObject({
    modelDeploymentRef: ModelDeploymentRef.optional(),
    model: ModelSpec.optional(),
    image: imageReference("With `model`: the model server's image (required for format custom; otherwise it overrides the runtime's image).").optional(),
    resources: ResourcesSpec.optional(),
    input: BatchInputSpec,
    output: BatchOutputSpec,
    storageSecretRef: z
      .strictObject({ name: dnsSubdomain("Name of a Secret in the BatchPrediction's namespace.") })
      .optional()
      .describe(
        "Secret with what the workers need to read the input and write the output, mounted as files " +
          "into the worker container only: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, " +
          "AWS_ENDPOINT_URL, ca.crt for s3://. Credentials are never written inline. The model's own " +
          "Secret is spec.model.storageSecretRef (or the ModelDeployment's).",
      ),
    schedule: z
      .string()
      .min(1)
      .max(128)
      .regex(CRON_REGEX)
      .optional()
      .describe("Cron schedule (five fields, or @hourly, @daily, …): a run starts at each time, never two at once (a CronJob with concurrencyPolicy Forbid). Without it the prediction runs once."),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe("IANA time zone of `schedule`, such as Europe/Paris. Default: the controller manager's."),
    parallelism: z
      .int()
      .min(1)
      .max(MAX_PARALLELISM)
      .default(1)
      .describe("Shards, each a pod: shard i scores the rows whose row number r has r % parallelism == i."),
    batchSize: z.int().min(1).max(100_000).default(64).describe("Rows per inference call."),
    concurrency: z.int().min(1).max(64).default(4).describe("Inference calls in flight per shard."),
    maxFailedRows: MaxFailedRows.optional(),
    retries: z
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe("Times a shard whose pod failed is run again (its outputs are rewritten whole: no duplicate rows). A shard over maxFailedRows is not retried."),
    timeouts: Timeouts.default({ request: "60s", modelLoad: "10m" }),
    historyLimit: z.int().min(1).max(20).default(5).describe("Finished runs listed in status.history (and, with a schedule, Jobs kept)."),
    nodeSelector: NodeSelector.optional(),
    tolerations: Tolerations.optional(),
    suspend: z
      .boolean()
      .default(false)
      .describe("When true, no pod of a run starts (a running run's pods are stopped and resume when it is false again) and a schedule starts no run."),
  })
  .describe("Desired state of the BatchPrediction.");

export const BatchPredictionSpec = withRules(SpecShape, [
  {
    cel: "has(self.modelDeploymentRef) != has(self.model)",
    holds: (self) => (self.modelDeploymentRef === undefined) !== (self.model === undefined),
    message: "set exactly one of spec.modelDeploymentRef (score with a ModelDeployment's stable revision) and spec.model (an inline model)",
  },
  {
    cel: "!has(self.modelDeploymentRef) || (!has(self.image) && !has(self.resources))",
    holds: (self) => self.modelDeploymentRef === undefined || (self.image === undefined && self.resources === undefined),
    message: "spec.image and spec.resources come from the ModelDeployment with spec.modelDeploymentRef; set them only with spec.model",
    fieldPath: ".modelDeploymentRef",
    reason: "FieldValueForbidden",
  },
  {
    cel: "!has(self.model) || self.model.format != 'custom' || has(self.image)",
    holds: (self) => self.model === undefined || self.model.format !== "custom" || self.image !== undefined,
    message: "spec.image is required when spec.model.format is custom",
    fieldPath: ".image",
    reason: "FieldValueRequired",
  },
  {
    cel: "!has(self.timeZone) || has(self.schedule)",
    holds: (self) => self.timeZone === undefined || self.schedule !== undefined,
    message: "spec.timeZone needs spec.schedule",
    fieldPath: ".timeZone",
    reason: "FieldValueForbidden",
  },
  {
    cel: "!self.output.uri.startsWith(self.input.uri) || !self.input.uri.endsWith('/')",
    holds: (self) => !(self.input.uri.endsWith("/") && self.output.uri.startsWith(self.input.uri)),
    message: "spec.output.uri must not be under the input prefix spec.input.uri: a later run would read the predictions as input",
    fieldPath: ".output.uri",
  },
]);
export type BatchPredictionSpec = z.output<typeof BatchPredictionSpec>;
