// Command-line flags of `npm run bench:operator`.
import { parseArgs } from "node:util";
import { integerFlag } from "../common/flag-values.ts";

export interface OperatorBenchOptions {
  /** ModelDeployments created at once. */
  readonly count: number;
  /** The operator's client-side rate limit, and the floor client's. */
  readonly qps: number;
  readonly burst: number;
  /** The operator's reconcile workers (the floor applies with as many at once). */
  readonly workers: number;
  /** Seconds of steady state (everything Ready, nothing changing) in which writes are counted. */
  readonly steadySeconds: number;
  /** Spec changes made one at a time while all exist, each timed until its child changed. */
  readonly changes: number;
  /** ModelDeployments given a new model version at once (a Canary rollout each). */
  readonly rollouts: number;
  /** Skip the floor (a quick look at the operator alone). */
  readonly skipFloor: boolean;
  /** Where the results JSON goes; by default bench/results/operator-<date>.json. */
  readonly out: string | undefined;
}

export const USAGE = `Usage: npm run bench:operator -- [flags]

Creates --count ModelDeployments at once on a local kwok cluster and measures the operator until
all are Ready: time, each one's create → Ready time, API requests per ModelDeployment by verb,
writes at steady state, RSS and CPU, spec change → child latency, and a rollout of --rollouts
of them at once. In a fresh cluster of its own, the floor: the same children created by a
minimal client at the same QPS, and one status write each (docs/benchmarks.md).

  --count <n>          ModelDeployments (default 1000)
  --qps <n>            client-side QPS of the operator and of the floor client (default: the operator's default)
  --burst <n>          client-side burst (default: the operator's default)
  --workers <n>        operator reconcile workers (default: the operator's default)
  --steady-seconds <n> steady-state window in which writes are counted (default 60)
  --changes <n>        spec changes timed one at a time (default 50)
  --rollouts <n>       ModelDeployments rolled out at once (default 100)
  --skip-floor         measure the operator only
  --out <file>         results JSON (default bench/results/operator-<date>.json)

Environment: MDO_BENCH_OPERATOR_NODE_FLAGS replaces the operator's Node.js flags (default: the
chart's NODE_OPTIONS, "--max-semi-space-size=4"; "" for Node's defaults) and MDO_BENCH_OPERATOR_LOG_LEVEL its log level (default warn; the
log is kept in the run's directory), for experiments.

The default run takes 15–25 minutes on 2 cores.`;

/** Parses the flags; undefined when --help was asked for. Throws RangeError or TypeError for bad flags. */
export function parseFlags(argv: readonly string[], defaults: { qps: number; burst: number; workers: number }): OperatorBenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      count: { type: "string" }, qps: { type: "string" }, burst: { type: "string" }, workers: { type: "string" },
      "steady-seconds": { type: "string" }, changes: { type: "string" }, rollouts: { type: "string" },
      "skip-floor": { type: "boolean" }, out: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help === true) return undefined;
  const count = integerFlag(values.count, 1000, "count", 1, 20_000);
  return {
    count,
    qps: integerFlag(values.qps, defaults.qps, "qps", 1, 10_000),
    burst: integerFlag(values.burst, defaults.burst, "burst", 1, 10_000),
    workers: integerFlag(values.workers, defaults.workers, "workers", 1, 64),
    steadySeconds: integerFlag(values["steady-seconds"], 60, "steady-seconds", 5, 3600),
    changes: integerFlag(values.changes, Math.min(50, count), "changes", 0, count),
    rollouts: integerFlag(values.rollouts, Math.min(100, count), "rollouts", 0, count),
    skipFloor: values["skip-floor"] === true,
    out: values.out,
  };
}
