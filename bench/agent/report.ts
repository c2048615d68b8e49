// Turns the runs into the tables (added latency over direct at each rate, saturation throughput
// and CPU per request) and the verdicts of the agent's targets (verdicts.ts).
import type { RunResult } from "./measure.ts";
import { pairedRatio, type RatioRange } from "./ratio.ts";
import type { TargetName } from "./target.ts";
import { verdicts, type Verdict } from "./verdicts.ts";

export interface RateRow {
  readonly target: TargetName;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  /** Percentile through this target minus the same percentile directly, ms; null for direct. */
  readonly addedP50: number | null;
  readonly addedP99: number | null;
  /** Percentile through this target over the same percentile directly; null for direct. */
  readonly ratioP50: number | null;
  readonly ratioP99: number | null;
  readonly proxyCpuPer1000: number | null;
}

/** A target's saturation rounds: throughput is their median; latency and CPU are the median round's. */
export interface SaturationRow {
  readonly target: TargetName;
  readonly rps: number;
  /** Answers per second of each round, in the order they ran. */
  readonly rounds: readonly number[];
  readonly p50: number;
  readonly p99: number;
  /** Failed requests over all rounds. */
  readonly errors: number;
  readonly proxyCpuPer1000: number | null;
  /** Proxy CPU s / 1000 requests of each round, in the order they ran; null for direct. */
  readonly cpuRounds: readonly (number | null)[];
}

export interface Report {
  readonly rates: readonly { readonly rate: number; readonly rows: readonly RateRow[] }[];
  readonly saturation: readonly SaturationRow[];
  /** Saturation throughput of the agent over nginx's: a reference, no target. */
  readonly agentOverNginx: RatioRange | undefined;
  readonly verdicts: readonly Verdict[];
}

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

function rateRows(runs: readonly RunResult[], rate: number): RateRow[] {
  // The tables show the first round; repeated rounds feed the verdicts that need them.
  const atRate = runs.filter((r) => r.mode === "open" && r.rate === rate && r.round === 1);
  const direct = atRate.find((r) => r.target === "direct")?.load.latency;
  return atRate.map(({ target, load: { latency, errors }, proxyCpuPer1000 }) => {
    const vs = target === "direct" ? undefined : direct;
    return {
      target, p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, errors,
      addedP50: vs === undefined ? null : round(latency.p50 - vs.p50),
      addedP99: vs === undefined ? null : round(latency.p99 - vs.p99),
      ratioP50: vs === undefined ? null : round(latency.p50 / vs.p50, 2),
      ratioP99: vs === undefined ? null : round(latency.p99 / vs.p99, 2),
      proxyCpuPer1000: proxyCpuPer1000 === null ? null : round(proxyCpuPer1000, 4),
    };
  });
}

function saturationRow(target: TargetName, rounds: readonly RunResult[]): SaturationRow {
  const sorted = [...rounds].sort((a, b) => a.load.achievedRps - b.load.achievedRps);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const middle = sorted.length % 2 === 1 ? median.load.achievedRps : (median.load.achievedRps + sorted[sorted.length / 2]!.load.achievedRps) / 2;
  return {
    target,
    rps: Math.round(middle),
    rounds: rounds.map((r) => Math.round(r.load.achievedRps)),
    p50: median.load.latency.p50,
    p99: median.load.latency.p99,
    errors: rounds.reduce((sum, r) => sum + r.load.errors, 0),
    proxyCpuPer1000: median.proxyCpuPer1000 === null ? null : round(median.proxyCpuPer1000, 4),
    cpuRounds: rounds.map((r) => (r.proxyCpuPer1000 === null ? null : round(r.proxyCpuPer1000, 4))),
  };
}

export function buildReport(runs: readonly RunResult[]): Report {
  const rateList = [...new Set(runs.filter((r) => r.mode === "open").map((r) => r.rate!))].sort((a, b) => a - b);
  const rates = rateList.map((rate) => ({ rate, rows: rateRows(runs, rate) }));
  const closed = runs.filter((r) => r.mode === "closed");
  const saturation = [...new Set(closed.map((r) => r.target))].map((t) => saturationRow(t, closed.filter((r) => r.target === t)));
  const roundsOf = (t: TargetName): readonly number[] => saturation.find((s) => s.target === t)?.rounds ?? [];
  return { rates, saturation, agentOverNginx: pairedRatio(roundsOf("agent"), roundsOf("nginx")), verdicts: verdicts(runs) };
}
