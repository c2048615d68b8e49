// `mdo batch run`: flags into a configuration, then one shard of a batch prediction until its
// input ends or SIGINT/SIGTERM. Returns the exit code; the caller in src/cmd/ exits.
import { flagLines, parseCommandLine, type CommandLine } from "../runtime/command-line.ts";
import { BatchRunConfig, batchEnvName, loadBatchRunConfig } from "./config.ts";
import { BatchConfigError, BatchInputError, BatchOutputError, FailureBudgetError, InferenceError } from "./errors.ts";


export function batchUsage(): string {
  const lines = [
    "Usage: mdo batch run --input <file.jsonl|file.csv> --output <dir> --model-url <url> --model-name <name> [flags]", "",
    "Runs one shard of a batch prediction against a model server speaking the Open Inference Protocol",
    "(V2): streams the input, sends its rows in batches and writes part-<shard>.jsonl (one prediction",
    "per good row, in input order), errors-<shard>.jsonl (malformed or rejected rows) and",
    "manifest-<shard>.json to the output directory.",
    "Exit codes: 0 done, 1 the run failed (more failed rows than --max-failed-rows, model server",
    "unreachable, input unreadable), 2 bad usage.", "",
    "Flags (environment variable in brackets):",
  ];
  lines.push(...flagLines(BatchRunConfig.shape, BatchRunConfig.partial().parse({}), batchEnvName));
  return lines.join("\n");
}

const FAILURES = [FailureBudgetError, InferenceError, BatchInputError, BatchOutputError];

/** `mdo batch <subcommand>`. Exit codes: 0 done, 1 the run failed (its reason printed), 2 bad usage. */
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
  const { flags } = line;
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => stop.abort(new Error(`stopped by ${signal}`));
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  try {
    const config = loadBatchRunConfig(flags, process.env);
    const { runBatch } = await import("./run.ts");
    const manifest = await runBatch(config, stop.signal);
    console.log(JSON.stringify(manifest));
    return 0;
  } catch (error) {
    if (error instanceof BatchConfigError) {
      console.error(error.message);
      return 2;
    }
    if (FAILURES.some((kind) => error instanceof kind) || stop.signal.aborted) {
      console.error(`Batch run failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    throw error;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}
