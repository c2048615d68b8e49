// BatchPrediction.status: written only by the operator, once per reconcile, through the status
// subresource. Counts of the current (or last) run come from the shards' own summaries.
import { z } from "zod";
import { Conditions, lastFailure, timestamp } from "./condition.ts";
import { listAtomic, listMap } from "./lists.ts";

export const BATCH_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Suspended", "Scheduled"] as const;
export type BatchPhase = (typeof BATCH_PHASES)[number];
/** Outcomes of a finished run. */
export const RUN_OUTCOMES = ["Succeeded", "Failed"] as const;
export const MAX_BATCH_HISTORY = 20;

const count = (description: string) => z.int().min(0).describe(description);

const RowCounts = z
  .object({
    total: count("Rows the finished shards read (succeeded + failed)."),
    succeeded: count("Rows with a prediction in the output."),
    failed: count("Rows in the errors files: malformed, or rejected by the model."),
  })
  .describe("Rows of the run's finished shards.");

const ShardCounts = z
  .object({
    total: count("Shards of the run (spec.parallelism)."),
    succeeded: count("Shards whose outputs are complete."),
    failed: count("Shards that failed for good (retries spent, or over maxFailedRows)."),
    active: count("Shard pods running now."),
  })
  .describe("Shards of the run.");

const ShardResult = z
  .object({
    index: count("The shard's index."),
    status: z.enum(["succeeded", "failed"]).describe("How the shard's last attempt ended."),
    rows: count("Rows the shard read."),
    succeeded: count("Rows with a prediction."),
    failed: count("Failed rows."),
    manifest: z.string().max(2048).optional().describe("URI of the shard's manifest."),
    error: z.string().max(1024).optional().describe("Why the shard failed."),
    drift: z
      .object({
        rows: count("Good rows binned."),
        features: listAtomic(z.array(z.object({
          name: z.string().max(253).describe("Feature name in the baseline."),
          pValue: z.number().min(0).max(1).nullable().describe("p-value of the χ² homogeneity test against the baseline; null without values."),
          psi: z.number().min(0).nullable().describe("Population Stability Index; null without values."),
        })).max(256)).describe("Each baseline feature's test over the shard's rows."),
      })
      .optional()
      .describe("The shard's inputs against the ModelDeployment's drift baseline."),
  })
  .describe("What one shard reported when it ended.");

const DriftedFeature = z.object({
  name: z.string().max(253).describe("Feature name."),
  shard: count("The shard whose rows showed it."),
  pValue: z.number().min(0).max(1).describe("p-value of its test in that shard."),
  psi: z.number().min(0).nullable().describe("PSI in that shard."),
});

const BatchDrift = z
  .object({
    rows: count("Good rows of the tested shards."),
    shardsTested: count("Finished shards with at least the ModelDeployment's minWindow rows: only those are tested."),
    threshold: z.number().min(0).max(1).optional().describe("falseAlarmRate / (features × tested shards): a feature whose p-value is below it in some shard drifted."),
    drifted: listAtomic(z.array(DriftedFeature).max(32)).describe("Drifted features, strongest evidence first (at most 32)."),
    message: z.string().max(1024).describe("The verdict, for people."),
  })
  .describe("The batch's inputs against the referenced ModelDeployment's drift baseline (spec.monitoring.drift), tested as live drift is.");

const RunRecord = z
  .object({
    job: z.string().min(1).max(63).describe("The run's Job."),
    outcome: z.enum(RUN_OUTCOMES).describe("How the run ended."),
    startTime: timestamp("When the run started.").optional(),
    completionTime: timestamp("When the run ended.").optional(),
    rowsSucceeded: count("Rows with a prediction."),
    rowsFailed: count("Failed rows."),
    reason: z.string().max(1024).optional().describe("Why a failed run failed (CamelCase)."),
  })
  .describe("One finished run.");

export const BatchPredictionStatus = z
  .object({
    observedGeneration: count("metadata.generation of the spec this status describes.").optional(),
    phase: z.enum(BATCH_PHASES).optional().describe("One-word summary for people; automation should read conditions."),
    conditions: Conditions.optional(),
    job: z.string().max(63).optional().describe("The current (or last) run's Job."),
    model: z.string().max(2048).optional().describe("What the run scores with: ModelDeployment <name> revision <revision>, or the model's URI."),
    startTime: timestamp("When the current (or last) run started.").optional(),
    completionTime: timestamp("When the current (or last) run ended.").optional(),
    shards: ShardCounts.optional(),
    rows: RowCounts.optional(),
    shardResults: listMap(z.array(ShardResult).max(100), "index").optional().describe("Each finished shard's report, kept while its run is the current one."),
    drift: BatchDrift.optional(),
    output: z
      .object({
        uri: z.string().max(2048).describe("Where the run writes (spec.output.uri)."),
        manifests: z.string().max(2048).describe("The shards' manifests: <uri>manifest-<shard>.json."),
      })
      .optional()
      .describe("Where the predictions are."),
    lastScheduleTime: timestamp("When the schedule last started a run.").optional(),
    lastFailure: lastFailure("Why the current (or last) run failed, or why no run can start.").optional(),
    history: listAtomic(z.array(RunRecord).max(MAX_BATCH_HISTORY)).optional().describe("Finished runs, oldest first (at most spec.historyLimit)."),
  })
  .describe("Observed state of the BatchPrediction, written by the operator.");
export type BatchPredictionStatus = z.output<typeof BatchPredictionStatus>;
export type BatchShardResult = z.output<typeof ShardResult>;
export type BatchRunRecord = z.output<typeof RunRecord>;
