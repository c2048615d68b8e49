// Command-line flags of `npm run bench:fetch`, and the plan they make.
import { parseArgs } from "node:util";
import { integerFlag } from "../common/flag-values.ts";

export const CASE_NAMES = ["one-file", "many-files"] as const;
export type CaseName = (typeof CASE_NAMES)[number];

export interface FetchBenchOptions {
  /** Size of the model in each case, MiB. */
  readonly sizeMiB: number;
  /** Files of the many-files case. */
  readonly files: number;
  /** Rounds per case and tool; mdo and the reference take turns, the median counts. */
  readonly rounds: number;
  readonly cases: readonly CaseName[];
  /** Where the results JSON goes; by default bench/results/fetch-<date>.json. */
  readonly out: string | undefined;
}

export const USAGE = `Usage: npm run bench:fetch -- [flags]

Download throughput and peak memory of \`mdo fetch\` from a local S3 server (moto, 127.0.0.1),
against the AWS CLI in the same run: a model of --size-mib as one file and as --files files.

  --size-mib <n>    model size in each case, MiB (default 1024)
  --files <n>       files of the many-files case (default 200)
  --rounds <n>      downloads per case and tool, taking turns; the median counts (default 3)
  --cases <list>    any of ${CASE_NAMES.join(",")} (default both)
  --out <file>      results JSON (default bench/results/fetch-<date>.json)

The AWS CLI fetches the one-file case in 8 MB ranged GETs, and moto reads the whole object for
each of them: that case's reference takes 1.5–3 minutes per round at 1024 MiB (it grows with
the square of the size). That is the test server's cost, not the CLI's. The default run takes
6–10 minutes on 2 cores.`;

/** Parses the flags; undefined when --help was asked for. Throws RangeError or TypeError for bad flags. */
export function parseFlags(argv: readonly string[]): FetchBenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      "size-mib": { type: "string" }, files: { type: "string" }, rounds: { type: "string" }, cases: { type: "string" },
      out: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help === true) return undefined;
  const cases = (values.cases ?? CASE_NAMES.join(",")).split(",").map((c) => {
    if (!(CASE_NAMES as readonly string[]).includes(c)) throw new RangeError(`Unknown case ${c}; cases are ${CASE_NAMES.join(", ")}`);
    return c as CaseName;
  });
  const sizeMiB = integerFlag(values["size-mib"], 1024, "size-mib", 1, 8192);
  const files = integerFlag(values.files, 200, "files", 2, 10_000);
  if (files > sizeMiB * 1024 * 1024) throw new RangeError("--files cannot exceed the model's size in bytes");
  return {
    sizeMiB,
    files,
    rounds: integerFlag(values.rounds, 3, "rounds", 1, 9),
    cases: CASE_NAMES.filter((c) => cases.includes(c)),
    out: values.out,
  };
}

/**
 * A rough duration of the run, seconds, from this machine's measurements at 1024 MiB: start-up,
 * data and uploads ≈ 65 s; each download verified (sha256 read back) ≈ 4 s; mdo ≈ 8 s; the
 * CLI's many files ≈ 5 s; the CLI's one file ≈ 90 s (150 s on a busy machine), growing with the square of the size (one
 * whole-object read by moto per 8 MB range).
 */
export function plannedSeconds(o: FetchBenchOptions): number {
  const gib = o.sizeMiB / 1024;
  const perRound = o.cases.reduce((sum, c) => sum + 16 * gib + (c === "one-file" ? 100 * gib * gib : 5 * gib), 0);
  return 20 + 45 * gib + o.rounds * perRound;
}
