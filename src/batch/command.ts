// `mdo batch run`: flags into a configuration, then one shard of a batch prediction until its
// input ends or SIGINT/SIGTERM. Returns the exit code; the caller in src/cmd/ exits.
import { flagLines, parseCommandLine, type CommandLine } from "../runtime/command-line.ts";
import { BatchRunConfig, batchEnvName, loadBatchRunConfig } from "./config.ts";
import { BatchConfigError, BatchInputError, BatchOutputError, FailureBudgetError, InferenceError } from "./errors.ts";
import { summaryOf, TERMINATION_LOG, writeBatchSummary, writeTerminationText } from "./summary.ts";

export function batchUsage(): string {
  const lines = [
    "Usage: mdo batch run --input <file|s3://bucket/key|s3://bucket/prefix/> --output <dir|s3://bucket/prefix/>",
    "                     --model-url <url> --model-name <name> [flags]", "",
    "Runs one shard of a batch prediction against a model server speaking the Open Inference Protocol",
    "(V2): streams the input, sends its rows in batches and writes part-<shard>.jsonl or .csv (one",
    "prediction per good row, in input order), errors-<shard>.jsonl (malformed or rejected rows) and",
    "manifest-<shard>.json to the output directory or prefix, and a one-line JSON summary to",
    "--termination-log. s3:// uses the AWS_* environment variables (AWS_ENDPOINT_URL for an",
    "S3-compatible store) or the keys of --credentials-dir.",
    "Exit codes: 0 done, 1 the run failed (model server unreachable or not ready in time, input",
    "unreadable, output unwritable, stopped), 2 bad usage, 3 more failed rows than --max-failed-rows.", "",
    "Flags (environment variable in brackets):",
  ];
  lines.push(...flagLines(BatchRunConfig.shape, BatchRunConfig.partial().parse({}), batchEnvName));
  return lines.join("\n");
}

/** A usage error goes to the termination log as text; 1,000 characters fit its 4096 bytes. */
const MAX_CONFIG_ERROR_CHARS = 1_000;

/** The exit code of a run over --max-failed-rows: the same rows would fail again, so a Job must not retry it. */
export const EXIT_FAILURE_BUDGET = 3;

const FAILURES = [FailureBudgetError, InferenceError, BatchInputError, BatchOutputError];

/**
 * `mdo batch <subcommand>`. Exit codes: 0 done, 1 the run failed (its reason printed; a retry may
 * succeed), 2 bad usage, 3 more rows failed than --max-failed-rows (a retry would fail the same way).
 */
export async function runBatchCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "help") {
    console.log(batchUsage());
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "run") {
    console.error(`Unknown batch command ${sub}; run mdo batch --help`);
    return 2;
  }
  let line: CommandLine;
  try {
    line = parseCommandLine(Object.keys(BatchRunConfig.shape), rest);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${batchUsage()}`);
    return 2;
  }
  if (line.help) {
    console.log(batchUsage());
    return 0;
  }
  let config: BatchRunConfig;
  try {
    config = loadBatchRunConfig(line.flags, process.env);
  } catch (error) {
    if (!(error instanceof BatchConfigError)) throw error;
    console.error(error.message);
    // No summary without a configuration: the reason goes to the termination log as text.
    const terminationLog = line.flags.terminationLog ?? process.env[batchEnvName("terminationLog")] ?? TERMINATION_LOG;
    await writeTerminationText(terminationLog, error.message.slice(0, MAX_CONFIG_ERROR_CHARS));
    return 2;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => stop.abort(new Error(`stopped by ${signal}`));
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  try {
    const { runShard } = await import("./run.ts");
    const outcome = await runShard(config, stop.signal);
    await writeBatchSummary(config.terminationLog, summaryOf(outcome.manifest, outcome.manifestUri));
    if (!("error" in outcome)) {
      console.log(JSON.stringify(outcome.manifest));
      return 0;
    }
    const { error } = outcome;
    if (error instanceof BatchConfigError) {
      console.error(error.message);
      return 2;
    }
    if (FAILURES.some((kind) => error instanceof kind) || stop.signal.aborted) {
      console.error(`Batch run failed: ${error instanceof Error ? error.message : String(error)}`);
      return error instanceof FailureBudgetError ? EXIT_FAILURE_BUDGET : 1;
    }
    throw error;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}
