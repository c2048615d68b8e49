// Command-line flags of `npm run bench:agent`.
import { parseArgs } from "node:util";
import { DEFAULT_TARGETS, TARGET_NAMES, type TargetName } from "./target.ts";

export interface BenchOptions {
  /** Offered loads of the open-loop runs, requests per second. */
  readonly rates: readonly number[];
  /** Measured seconds of each open-loop run. */
  readonly durationS: number;
  /** Unrecorded seconds of load before each run. */
  readonly warmupS: number;
  /** Measured seconds of each saturation run; 0 skips them. */
  readonly saturationS: number;
  /** How often each target's saturation run is repeated (targets taking turns); the median counts. */
  readonly saturationRounds: number;
  /** How often the open-loop runs are repeated (targets taking turns); the verdicts take the median. */
  readonly latencyRounds: number;
  /** Callers (and connections) of the saturation runs. */
  readonly connections: number;
  readonly targets: readonly TargetName[];
  readonly nginxWorkers: number | "auto";
  /** Where the results JSON goes; by default bench/results/agent-<date>.json. */
  readonly out: string | undefined;
  /** Directory for V8 CPU profiles of the agent processes; none when absent. */
  readonly cpuProfileDir: string | undefined;
}

export const USAGE = `Usage: npm run bench:agent -- [flags]

Latency, throughput and CPU of the model server directly, through the MDO agent, through the
agent with drift on (20 features), through a bare Node.js proxy (node:http + undici), through an
agent that mirrors every request to a candidate (shadow traffic) and through nginx (a reference),
measured in turn in one run on 127.0.0.1. Verdicts: added latency at 500 rps, CPU per 1000
requests at 1000 rps, CPU per request at saturation against the bare proxy, drift's CPU cost,
shadow's added p99.

  --rates <list>        open-loop rates, requests/s (default 500,1000)
  --duration <s>        measured seconds per rate (default 15)
  --warmup <s>          unrecorded seconds of load before each run (default 3)
  --saturation <s>      measured seconds of each closed-loop saturation run, 0 to skip (default 10)
  --rounds <n>          saturation rounds per target, the median counts (default 3)
  --latency-rounds <n>  open-loop rounds per target and rate; the tables show round 1, the
                        verdicts the median of the rounds (default 3)
  --connections <n>     callers of the saturation runs (default 32)
  --targets <list>      any of ${TARGET_NAMES.join(",")}
                        (default ${DEFAULT_TARGETS.join(",")}; the bare-* ones are minimal Node.js
                        proxies without the agent's features, to compare its cost with)
  --nginx-workers <n>   nginx worker_processes, a number or auto (default 1)
  --out <file>          results JSON (default bench/results/agent-<date>.json)
  --cpu-prof <dir>      write a V8 CPU profile of each agent process into <dir>`;

function number(value: string | undefined, fallback: number, flag: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`--${flag} must be a number from ${min} to ${max}, got ${value}`);
  return n;
}

/** Parses the flags; undefined when --help was asked for. Throws RangeError or TypeError for bad flags. */
export function parseFlags(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      rates: { type: "string" }, duration: { type: "string" }, warmup: { type: "string" }, saturation: { type: "string" },
      rounds: { type: "string" }, "latency-rounds": { type: "string" }, connections: { type: "string" }, targets: { type: "string" }, "nginx-workers": { type: "string" }, out: { type: "string" },
      "cpu-prof": { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help === true) return undefined;
  const rates = (values.rates ?? "500,1000").split(",").map((r) => number(r, 0, "rates", 1, 20_000));
  const targets = (values.targets ?? DEFAULT_TARGETS.join(",")).split(",").map((t) => {
    if (!(TARGET_NAMES as readonly string[]).includes(t)) throw new RangeError(`Unknown target ${t}; targets are ${TARGET_NAMES.join(", ")}`);
    return t as TargetName;
  });
  const workers = values["nginx-workers"] ?? "1";
  return {
    rates,
    durationS: number(values.duration, 15, "duration", 1, 120),
    warmupS: number(values.warmup, 3, "warmup", 0, 60),
    saturationS: number(values.saturation, 10, "saturation", 0, 120),
    saturationRounds: number(values.rounds, 3, "rounds", 1, 9),
    latencyRounds: number(values["latency-rounds"], 3, "latency-rounds", 1, 9),
    connections: number(values.connections, 32, "connections", 1, 1024),
    targets: [...new Set(targets)],
    nginxWorkers: workers === "auto" ? "auto" : number(workers, 1, "nginx-workers", 1, 64),
    out: values.out,
    cpuProfileDir: values["cpu-prof"],
  };
}

/** Roughly how long the load runs take, in seconds (process start-ups not included). */
export function plannedSeconds(o: BenchOptions): number {
  const perTarget = o.latencyRounds * o.rates.length * (o.warmupS + o.durationS) + (o.saturationS > 0 ? o.saturationRounds * (Math.min(2, o.warmupS) + o.saturationS) : 0);
  return perTarget * o.targets.length;
}
