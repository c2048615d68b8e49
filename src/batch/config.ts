// `mdo batch run` configuration: flags override environment variables (MDO_BATCH_ + upper snake
// case of the option) override defaults; validated with zod. In an Indexed Job the shard index
// defaults to the pod's JOB_COMPLETION_INDEX.
import { z } from "zod";
import { envName, rawSettings } from "../runtime/config-sources.ts";
import { BatchConfigError } from "./errors.ts";
import { parseFailureBudget, UNLIMITED } from "./failure-budget.ts";
import { parseBatchLocation, type BatchLocation } from "./location.ts";
import { OUTPUT_FORMATS } from "./part-format.ts";
import { formatOf, INPUT_FORMATS } from "./reader.ts";
import { TERMINATION_LOG } from "./summary.ts";

const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const FailureBudgetFlag = z.string().transform((text, ctx) => {
  const budget = parseFailureBudget(text);
  if (budget === undefined) {
    ctx.addIssue({ code: "custom", message: "a whole number of rows, or a ratio between 0 and 1 exclusive" });
    return z.NEVER;
  }
  return budget;
});

export const BatchRunConfig = z.strictObject({
  input: z.string().min(1).describe("Input: a .jsonl/.ndjson or .csv file, s3://bucket/key (one object), or s3://bucket/prefix/ (every object under it with the format's extension, in key order) (required)."),
  output: z.string().min(1).describe("Directory or s3://bucket/prefix/ for part-<shard>.<output format>, errors-<shard>.jsonl and manifest-<shard>.json (required)."),
  outputFormat: z.enum(OUTPUT_FORMATS).default("jsonl").describe("Format of the part: jsonl ({\"row\",\"id\",\"prediction\"} per line) or csv (a row,id,prediction header; an array prediction gets a column per value)."),
  modelUrl: z.url({ protocol: /^https?$/ }).describe("Base URL of the model server (Open Inference Protocol V2) (required)."),
  modelName: z.string().min(1).describe("Model name in /v2/models/<name>/infer (required)."),
  format: z.enum(INPUT_FORMATS).optional().describe("Input format, jsonl or csv (default: from the file's extension, or the objects' under a prefix)."),
  shardIndex: Int(0, 1_000_000).optional().describe("This shard's index, 0-based (default: JOB_COMPLETION_INDEX, else 0)."),
  shardCount: Int(1, 1_000_000).default(1).describe("Number of shards; shard i takes rows r with r % count == i."),
  batchSize: Int(1, 100_000).default(64).describe("Rows per inference call."),
  concurrency: Int(1, 1_024).default(4).describe("Inference calls in flight at most."),
  maxFailedRows: FailureBudgetFlag.default(UNLIMITED).describe("Failed rows tolerated: a count, or a ratio 0<x<1 of the rows seen; more fails the run (default: unlimited)."),
  idField: z.string().min(1).optional().describe("Field (JSON) or column (CSV) holding a row's id; not a feature (default: the row number)."),
  timeout: Int(1, 3_600).default(60).describe("Seconds without an answer before an inference call is retried."),
  driftBaseline: z.string().min(1).optional().describe("A baseline profile (baseline.json, as `mdo baseline` writes it): each feature of the good rows is tested against it as live drift is, and the result goes to the manifest and the summary."),
  modelReadyTimeout: Int(0, 86_400).default(0).describe("Seconds to wait for GET <model-url>/v2/models/<name>/ready to answer 200 before the first call; 0: do not wait."),
  credentialsDir: z.string().min(1).optional().describe("A mounted storage Secret (one file per key: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ca.crt…) for s3:// (default: the environment's AWS_* variables and the SDK's default chain)."),
  workDir: z.string().min(1).optional().describe("Directory for the temporary part and errors files of an s3:// output (default: the OS temporary directory)."),
  terminationLog: z.string().min(1).default(TERMINATION_LOG).describe("File that receives the one-line JSON summary of the run, succeeded or failed; a missing directory is ignored."),
});
export type BatchRunConfig = z.output<typeof BatchRunConfig> & {
  shardIndex: number;
  inputLocation: BatchLocation;
  outputLocation: BatchLocation;
};

const ENV_PREFIX = "MDO_BATCH_";

/** The environment variable of an option: MDO_BATCH_ + upper snake case. */
export function batchEnvName(option: string): string {
  return envName(option, ENV_PREFIX);
}

/** Merges environment and flags (flags win) and validates; throws BatchConfigError naming the option. */
export function loadBatchRunConfig(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv): BatchRunConfig {
  const raw = rawSettings(Object.keys(BatchRunConfig.shape), flags, env, ENV_PREFIX);
  if (raw.shardIndex === undefined && env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_INDEX !== "") raw.shardIndex = env.JOB_COMPLETION_INDEX;
  const parsed = BatchRunConfig.safeParse(raw);
  if (!parsed.success) throw new BatchConfigError(`Invalid batch configuration: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  const config = parsed.data;
  const shardIndex = config.shardIndex ?? 0;
  if (shardIndex >= config.shardCount) throw new BatchConfigError(`--shard-index ${shardIndex} must be less than --shard-count ${config.shardCount}`);
  const inputLocation = parseBatchLocation(config.input, "input");
  const outputLocation = parseBatchLocation(config.output, "output");
  // A prefix's format may come from its objects' extensions, known only once they are listed.
  const prefix = inputLocation.kind === "s3" && inputLocation.prefix;
  const format = config.format ?? formatOf(inputLocation.kind === "s3" ? inputLocation.key : inputLocation.path);
  if (format === undefined && !prefix) throw new BatchConfigError(`Cannot tell the format of ${config.input}: name it .jsonl, .ndjson or .csv, or pass --format`);
  return { ...config, shardIndex, inputLocation, outputLocation, ...(format !== undefined && { format }) };
}
