// `mdo batch run`: flags into a configuration, then one shard of a batch prediction until its
// input ends or SIGINT/SIGTERM. Returns the exit code; the caller in src/cmd/ exits.
import { parseArgs } from "node:util";
import { BatchRunConfig, batchEnvName, loadBatchRunConfig } from "./config.ts";
import { BatchConfigError, BatchInputError, BatchOutputError, FailureBudgetError, InferenceError } from "./errors.ts";

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

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
  const defaults = BatchRunConfig.partial().parse({}) as Record<string, unknown>;
  for (const [key, schema] of Object.entries(BatchRunConfig.shape)) {
    const value = defaults[key];
    const fallback = typeof value === "number" || typeof value === "string" ? ` (default ${value})` : "";
    lines.push(`  --${kebab(key).padEnd(16)} ${schema.description ?? ""}${fallback} [${batchEnvName(key)}]`);
  }
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
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.keys(BatchRunConfig.shape).map((k) => [kebab(k), { type: "string" as const }]));
    ({ values } = parseArgs({ args: rest, options: { ...options, help: { type: "boolean" } }, strict: true }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${batchUsage()}`);
    return 2;
  }
  if (values.help === true) {
    console.log(batchUsage());
    return 0;
  }
  const flags = Object.fromEntries(Object.entries(values).filter(([k]) => k !== "help").map(([k, v]) => [camel(k), typeof v === "string" ? v : undefined]));
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
