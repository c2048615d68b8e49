// The BatchPrediction resource: identity (group, version, names) and the root schema.
import { z } from "zod";
import { BatchPredictionSpec } from "./batch-spec.ts";
import { BatchPredictionStatus } from "./batch-status.ts";
import { ObjectMeta } from "./object-meta.ts";
import { API_VERSION, MAX_NAME_LENGTH } from "./modeldeployment.ts";
import { DNS1035_LABEL } from "./names.ts";
import { celString, withRules } from "./rules.ts";

export const BATCH_KIND = "BatchPrediction";
export const BATCH_PLURAL = "batchpredictions";
export const BATCH_SINGULAR = "batchprediction";
export const BATCH_SHORT_NAMES = ["bp"] as const;

const BatchPredictionShape = z
  .strictObject({
    apiVersion: z.literal(API_VERSION).describe(`API version of the object: ${API_VERSION}.`),
    kind: z.literal(BATCH_KIND).describe(`Kind of the object: ${BATCH_KIND}.`),
    metadata: ObjectMeta,
    spec: BatchPredictionSpec,
    status: BatchPredictionStatus.optional(),
  })
  .describe(
    "A model run over a dataset in object storage, once or on a schedule: an Indexed Job whose " +
      "pods each score one shard of the rows beside a model server, with counts, failed rows and " +
      "the output's location in status.",
  );

export const BatchPrediction = withRules(BatchPredictionShape, [
  {
    cel: `size(self.metadata.name) <= ${MAX_NAME_LENGTH} && self.metadata.name.matches(${celString(DNS1035_LABEL.source)})`,
    holds: (self) => {
      const name = self.metadata.name;
      return name === undefined || (name.length <= MAX_NAME_LENGTH && DNS1035_LABEL.test(name));
    },
    message:
      `metadata.name must be a DNS-1035 label of at most ${MAX_NAME_LENGTH} characters ` +
      "(lower-case letters, digits and '-', starting with a letter), because its Jobs, CronJob and pods are named after it",
  },
]);
export type BatchPrediction = z.output<typeof BatchPrediction>;
export type BatchPredictionInput = z.input<typeof BatchPrediction>;
