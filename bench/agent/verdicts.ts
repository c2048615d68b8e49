// The agent's targets (issue 13 item 5; docs/benchmarks.md, "Targets"), each judged on
// measurements of one run: every value pairs two targets measured back to back in the same round
// (targets take turns, plan.ts), and the median over rounds is held against the limit (judge.ts).
// nginx is measured as a reference only: no target names it.
import { atMost, type Rounds, type Verdict } from "./judge.ts";
import type { RunResult } from "./measure.ts";
import type { TargetName } from "./target.ts";

export type { Outcome, Verdict } from "./judge.ts";

/** The open-loop rate of the latency targets and the shadow target. */
export const LATENCY_RATE = 500;
/** The open-loop rate of the CPU-per-request target. */
export const CPU_RATE = 1000;

/** The limits; docs/benchmarks.md gives the reasoning (Envoy/Istio sidecars, a bare Node.js proxy). */
export const LIMITS = {
  addedP50Ms: 0.5,
  addedP99Ms: 2,
  cpuSecondsPer1000: 0.1,
  cpuOverBareProxy: 1.25,
  driftCpuOverOff: 1.1,
  shadowAddedP99Ms: 1,
} as const;

/** The Node.js proxy without the agent's features that the agent's CPU is compared with. */
export const BARE_PROXY: TargetName = "bare-undici";

type Pick = (run: RunResult) => boolean;
const open = (rate: number, target: TargetName): Pick => (r) => r.mode === "open" && r.rate === rate && r.target === target;
const saturated = (target: TargetName): Pick => (r) => r.mode === "closed" && r.target === target;

/** `value(a, b)` of each round in which both `a` and `b` ran (b omitted: a alone), with their errors and the machine's noise. */
function paired(runs: readonly RunResult[], a: Pick, b: Pick | undefined, value: (a: RunResult, b: RunResult) => number | null): Rounds {
  const values: number[] = [];
  const compared: RunResult[] = [];
  for (const first of runs.filter(a).sort((x, y) => x.round - y.round)) {
    const second = b === undefined ? first : runs.find((r) => b(r) && r.round === first.round);
    if (second === undefined) continue;
    const v = value(first, second);
    if (v === null || !Number.isFinite(v)) continue;
    values.push(v);
    compared.push(...new Set([first, second]));
  }
  return {
    values,
    errors: compared.reduce((sum, r) => sum + r.load.errors, 0),
    otherCores: Math.max(0, ...compared.map((r) => r.otherCores)),
  };
}

const ms = (v: number): string => `${v >= 0 ? "+" : ""}${v.toFixed(3)} ms`;
const cpu = (v: number): string => `${v.toFixed(4)} s`;
const times = (v: number): string => `${v.toFixed(3)}×`;
const percent = (v: number): string => `${v >= 1 ? "+" : ""}${((v - 1) * 100).toFixed(1)}%`;
const cpuRatio = (a: RunResult, b: RunResult): number | null => (a.proxyCpuPer1000 === null || b.proxyCpuPer1000 === null ? null : a.proxyCpuPer1000 / b.proxyCpuPer1000);

export function verdicts(runs: readonly RunResult[]): Verdict[] {
  const agentAt = (rate: number): Pick => open(rate, "agent");
  const added = (what: "p50" | "p99") => (agent: RunResult, direct: RunResult): number => agent.load.latency[what] - direct.load.latency[what];
  const alone = paired(runs, agentAt(CPU_RATE), undefined, (agent) => agent.proxyCpuPer1000);
  return [
    atMost(`agent adds ≤ ${LIMITS.addedP50Ms} ms p50 at ${LATENCY_RATE} rps (vs direct)`,
      paired(runs, agentAt(LATENCY_RATE), open(LATENCY_RATE, "direct"), added("p50")), LIMITS.addedP50Ms, ms),
    atMost(`agent adds ≤ ${LIMITS.addedP99Ms} ms p99 at ${LATENCY_RATE} rps (vs direct)`,
      paired(runs, agentAt(LATENCY_RATE), open(LATENCY_RATE, "direct"), added("p99")), LIMITS.addedP99Ms, ms),
    atMost(`agent CPU ≤ ${LIMITS.cpuSecondsPer1000.toFixed(2)} s per 1000 requests at ${CPU_RATE} rps`, alone, LIMITS.cpuSecondsPer1000, cpu),
    atMost(`agent CPU per request at saturation ≤ ${LIMITS.cpuOverBareProxy}× the bare Node.js proxy's (${BARE_PROXY})`,
      paired(runs, saturated("agent"), saturated(BARE_PROXY), cpuRatio), LIMITS.cpuOverBareProxy, times),
    atMost(`drift on (20 features) costs ≤ ${Math.round((LIMITS.driftCpuOverOff - 1) * 100)}% more CPU per request at saturation`,
      paired(runs, saturated("agent-drift"), saturated("agent"), cpuRatio), LIMITS.driftCpuOverOff, percent),
    atMost(`mirroring every request adds ≤ ${LIMITS.shadowAddedP99Ms} ms p99 at ${LATENCY_RATE} rps (vs the plain agent)`,
      paired(runs, open(LATENCY_RATE, "agent-shadow"), agentAt(LATENCY_RATE), added("p99")), LIMITS.shadowAddedP99Ms, ms),
  ];
}
