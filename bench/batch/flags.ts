// Command-line flags of `npm run bench:batch`.
import { parseArgs } from "node:util";
import { integerFlag, partsFlag, positiveFlag } from "../common/flag-values.ts";

export const PARTS = ["throughput", "memory"] as const;
export type Part = (typeof PARTS)[number];

/** V8's young generation at 1 MB per semi-space and its old generation at 64 MB. */
export const DEFAULT_TUNED_FLAGS = "";

export interface BatchBenchOptions {
  readonly parts: readonly Part[];
  /** Rows of the throughput input (iris, 4 features). */
  readonly rows: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** Rounds of (direct client, mdo batch run), in turns. */
  readonly rounds: number;
  /** Size of the memory run's input, GiB (wide rows). */
  readonly memoryGiB: number;
  /** Features of the memory run's model and rows. */
  readonly features: number;
  /** Node.js flags of the memory part's last reference run of the worker; empty: no such run. */
  readonly tunedNodeFlags: readonly string[];
  /** RSS poll period, ms. */
  readonly sampleMs: number;
  readonly out: string | undefined;
}

export const USAGE = `Usage: npm run bench:batch -- [flags]

\`mdo batch run\` (src/batch/) against one real MLServer on 127.0.0.1 serving two scikit-learn
models trained in the run (docs/benchmarks.md):

  throughput  rows per second of \`mdo batch run\` against a minimal direct client
              (bench/batch/direct-client.ts) with the same batch size and concurrency, on the
              same JSON Lines file of iris rows, in turns; target ≥ 0.9×
  memory      the worker's resident set (VmRSS every --sample-ms, and VmHWM) as its pod runs it
              (compiled, with the Job's NODE_OPTIONS) while it streams a JSON Lines file of
              --memory-gib GiB of wide rows (--features numbers each) through a logistic
              regression on that many features; target peak < 150 MB. References on the same
              file, without a verdict: the direct client, the worker from source with V8's
              default heap, and (when given) the worker with --tuned-node-flags

  --parts <list>        parts to run, comma-separated (default throughput,memory)
  --rows <n>            rows of the throughput input (default 500000)
  --batch-size <n>      rows per inference call, both clients (default 64)
  --concurrency <n>     calls in flight, both clients (default 4)
  --rounds <n>          throughput rounds, each the direct client and the worker, the order
                        alternating (default 5), after one uncounted run of the direct client
  --memory-gib <x>      size of the memory run's input in GiB (default 1)
  --features <n>        features per row of the memory run (default 1000)
  --tuned-node-flags=<flags>  Node.js flags of one more reference run of the worker,
                        space-separated, given with "=" (default: no such run)
  --sample-ms <n>       RSS poll period in ms (default 100)
  --out <file>          results JSON (default bench/results/batch-<date>.json)

The default run takes about 5–6 minutes on 2 cores and needs 1 GiB of free space under $TMPDIR.`;

/** Parses the flags; undefined when --help was asked for. Throws for bad flags. */
export function parseFlags(argv: readonly string[]): BatchBenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      parts: { type: "string" }, rows: { type: "string" }, "batch-size": { type: "string" }, concurrency: { type: "string" },
      rounds: { type: "string" }, "memory-gib": { type: "string" }, features: { type: "string" }, "sample-ms": { type: "string" }, "tuned-node-flags": { type: "string" },
      out: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help === true) return undefined;
  return {
    parts: partsFlag(values.parts, PARTS),
    rows: integerFlag(values.rows, 500_000, "rows", 1, 100_000_000),
    batchSize: integerFlag(values["batch-size"], 64, "batch-size", 1, 100_000),
    concurrency: integerFlag(values.concurrency, 4, "concurrency", 1, 256),
    rounds: integerFlag(values.rounds, 5, "rounds", 1, 100),
    memoryGiB: positiveFlag(values["memory-gib"], 1, "memory-gib", 64),
    features: integerFlag(values.features, 1000, "features", 1, 100_000),
    tunedNodeFlags: (values["tuned-node-flags"] ?? DEFAULT_TUNED_FLAGS).split(/\s+/).filter((f) => f !== ""),
    sampleMs: integerFlag(values["sample-ms"], 100, "sample-ms", 10, 10_000),
    out: values.out,
  };
}
