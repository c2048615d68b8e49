// Command-line flags of `npm run bench:autoscale`.
import { parseArgs } from "node:util";
import { integerFlag, partsFlag } from "../common/flag-values.ts";

export const PARTS = ["cold", "steady", "step"] as const;
export type Part = (typeof PARTS)[number];

export interface AutoscaleOptions {
  readonly parts: readonly Part[];
  /** Cold starts measured, one pod each. */
  readonly rounds: number;
  /** Requests held per cold start, one client each. */
  readonly clients: number;
  /** Readiness poll period, ms. */
  readonly pollMs: number;
  /** Steady state: rounds of (direct, through the activator), closed loop. */
  readonly steadyRounds: number;
  readonly connections: number;
  /** Seconds measured per steady-state run (after 1 s of warm-up). */
  readonly duration: number;
  /** Step load from zero: clients and seconds of load after the pod is ready. */
  readonly stepClients: number;
  readonly stepDuration: number;
  /** The MDO agent in front of MLServer (the pod's data path in a cluster). */
  readonly agent: boolean;
  readonly out: string | undefined;
}

export const USAGE = `Usage: npm run bench:autoscale -- [flags]

The scale-to-zero activator (src/activator/) in front of a real MLServer serving an iris model
trained in the run, each "pod" a fresh MLServer process (with the MDO agent in front) started on
demand on 127.0.0.1 (docs/benchmarks.md):

  cold    cold-start added latency: --clients requests held while a pod starts, each answer
          against one request sent directly to the pod the instant it is ready (after one
          uncounted warm-up cold start against a stand-in model server)
  steady  a ready pod: closed-loop load through the activator against the pod directly
  step    a step of --step-clients clients from zero: every request must be answered

  --parts <list>        parts to run, comma-separated (default cold,steady,step)
  --rounds <n>          cold starts (default 15)
  --clients <n>         requests held per cold start (default 10)
  --poll-ms <n>         readiness poll period in ms (default 5)
  --steady-rounds <n>   steady-state rounds, each direct and through the activator (default 5)
  --connections <n>     steady-state closed-loop connections (default 8)
  --duration <s>        seconds measured per steady-state run (default 10)
  --step-clients <n>    step load clients (default 40)
  --step-duration <s>   seconds of step load after the pod is ready (default 10)
  --no-agent            forward to MLServer itself, without the agent in front
  --out <file>          results JSON (default bench/results/autoscale-<date>.json)

The default run takes about 3.5 minutes on 2 cores.`;

/** Parses the flags; undefined when --help was asked for. Throws for bad flags. */
export function parseFlags(argv: readonly string[]): AutoscaleOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      parts: { type: "string" }, rounds: { type: "string" }, clients: { type: "string" }, "poll-ms": { type: "string" },
      "steady-rounds": { type: "string" }, connections: { type: "string" }, duration: { type: "string" },
      "step-clients": { type: "string" }, "step-duration": { type: "string" }, "no-agent": { type: "boolean" },
      out: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help === true) return undefined;
  return {
    parts: partsFlag(values.parts, PARTS),
    rounds: integerFlag(values.rounds, 15, "rounds", 1, 1000),
    clients: integerFlag(values.clients, 10, "clients", 1, 100),
    pollMs: integerFlag(values["poll-ms"], 5, "poll-ms", 1, 10_000),
    steadyRounds: integerFlag(values["steady-rounds"], 5, "steady-rounds", 1, 100),
    connections: integerFlag(values.connections, 8, "connections", 1, 1024),
    duration: integerFlag(values.duration, 10, "duration", 1, 120),
    stepClients: integerFlag(values["step-clients"], 40, "step-clients", 1, 100),
    stepDuration: integerFlag(values["step-duration"], 10, "step-duration", 1, 120),
    agent: values["no-agent"] !== true,
    out: values.out,
  };
}
