// `mdo baseline build`: profile reference data as a drift baseline (JSON, or a ConfigMap).
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from "../api/names.ts";
import { BaselineError } from "../drift/baseline.ts";
import { buildBaseline } from "../drift/build-baseline.ts";
import { MAX_CONFIGMAP_BYTES, baselineConfigMapYaml, baselineJson } from "./baseline-configmap.ts";
import { parseCsv } from "./baseline-csv.ts";
import { parseJsonLines } from "./baseline-jsonl.ts";
import { DataFileError, type Table } from "./baseline-table.ts";

export const BASELINE_USAGE = `Usage: mdo baseline build <data.csv|data.jsonl> [flags]

Profiles reference data (the training set, say) as the drift baseline the MDO agent compares
live requests with. CSV needs a header row; JSON Lines holds one object per line. Columns whose
values are all numbers become numeric features (quantile bins), the others categorical.

Flags:
  --bins N              quantile bins per numeric feature, 2 to 101 (default 10)
  --categorical a,b     columns profiled as categories even though their values are numbers
  --exclude a,b         columns that are not model inputs (ids, labels): left out
  --prediction col      column holding the model's output: profiled as the prediction distribution
  --max-categories N    categories listed per categorical feature, the rest "__other__" (default 20)
  --out FILE            write to FILE instead of standard output
  --configmap           write a ConfigMap manifest (YAML) holding the profile under baseline.json
  --name NAME           the ConfigMap's name (default: <data file name>-baseline)
  --namespace NS        the ConfigMap's namespace (default: none; kubectl's current namespace)`;

/** Where the command reads and writes; tests pass their own. */
export interface BaselineCommandIO {
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIO: BaselineCommandIO = {
  readFile: (path) => readFile(path, "utf8"),
  writeFile: (path, text) => writeFile(path, text, "utf8"),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A command line that cannot be run as given; exit code 2. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

const list = (value: string | undefined): string[] | undefined =>
  value?.split(",").map((c) => c.trim()).filter((c) => c !== "");

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

/** `<file name without extension>-baseline`, reduced to the characters of a DNS-1123 label. */
function defaultName(path: string): string {
  const stem = basename(path).replace(/\.[^.]*$/, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return stem === "" ? "baseline" : `${stem.slice(0, 200).replace(/-+$/, "")}-baseline`;
}

/** The reader of a data file, chosen by its extension. */
function tableReader(path: string): (text: string) => Table {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return parseCsv;
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return parseJsonLines;
  throw new UsageError(`Cannot tell the format of ${path}: expected a .csv, .jsonl or .ndjson file`);
}

async function build(argv: string[], io: BaselineCommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      bins: { type: "string" },
      categorical: { type: "string" },
      exclude: { type: "string" },
      prediction: { type: "string" },
      "max-categories": { type: "string" },
      out: { type: "string" },
      configmap: { type: "boolean" },
      name: { type: "string" },
      namespace: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help === true) {
    io.stdout(`${BASELINE_USAGE}\n`);
    return 0;
  }
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError("Expected exactly one data file");
  const name = values.name ?? defaultName(path);
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) throw new UsageError(`--name "${name}" is not a valid ConfigMap name`);
  if (values.namespace !== undefined && (values.namespace.length > 63 || !DNS1123_LABEL.test(values.namespace))) {
    throw new UsageError(`--namespace "${values.namespace}" is not a valid namespace name`);
  }
  const parseTable = tableReader(path);
  const table = parseTable(await io.readFile(path));
  const baseline = buildBaseline(table.rows, {
    columns: table.columns,
    bins: integer("bins", values.bins),
    categorical: list(values.categorical),
    exclude: list(values.exclude),
    prediction: values.prediction,
    maxCategories: integer("max-categories", values["max-categories"]),
  });
  let output = baselineJson(baseline);
  if (values.configmap === true) {
    if (Buffer.byteLength(output) > MAX_CONFIGMAP_BYTES) {
      throw new BaselineError(`The profile is ${Buffer.byteLength(output)} bytes, more than a ConfigMap holds; use fewer bins or categories`);
    }
    output = baselineConfigMapYaml(baseline, { name, ...(values.namespace !== undefined && { namespace: values.namespace }) });
  }
  if (values.out === undefined) io.stdout(output);
  else {
    await io.writeFile(values.out, output);
    io.stderr(`Wrote baseline of ${baseline.features.length} features from ${table.rows.length} rows to ${values.out}\n`);
  }
  return 0;
}

/** An error from the file system (it names the system call: open, read, write…). */
const isFileError = (e: unknown): e is NodeJS.ErrnoException => e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === "string";

/**
 * Runs `mdo baseline <argv…>` (argv is what follows `baseline`). Returns the exit code: 0 on
 * success (and for --help), 2 for a bad command line, 1 for data that cannot be profiled or a
 * file that cannot be read or written; the reason goes to stderr. Other errors are bugs: thrown.
 */
export async function runBaselineCommand(argv: readonly string[], io: BaselineCommandIO = processIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === "help" || verb === "--help" || verb === "-h") {
    io.stdout(`${BASELINE_USAGE}\n`);
    return 0;
  }
  try {
    if (verb !== "build") throw new UsageError(verb === undefined ? "Missing subcommand" : `Unknown subcommand "${verb}"`);
    return await build(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      io.stderr(`${error.message}\n\n${BASELINE_USAGE}\n`);
      return 2;
    }
    if (error instanceof BaselineError || error instanceof DataFileError || isFileError(error)) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
