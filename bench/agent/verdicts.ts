// The design's agent targets (DESIGN.md §7) judged on one run. A throughput target whose
// per-round ratios fall on both sides of its limit is INCONCLUSIVE: the noise was larger than the
// margin. Latency is measured once per target, so its verdict carries how busy the rest of the
// machine was instead.
import type { RunResult } from "./measure.ts";
import type { RatioRange } from "./ratio.ts";
import type { RateRow } from "./report.ts";

export type Outcome = "PASS" | "FAIL" | "INCONCLUSIVE" | "NOT MEASURED";

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly outcome: Outcome;
  /** What to keep in mind when reading the outcome. */
  readonly note: string;
}

export const TARGET_RATE = 500;

/** The agent's added p50 and p99 over direct at TARGET_RATE. */
export function latencyVerdicts(rows: readonly RateRow[] | undefined, runs: readonly RunResult[]): Verdict[] {
  const agent = rows?.find((r) => r.target === "agent");
  const compared = runs.filter((r) => r.mode === "open" && r.rate === TARGET_RATE && (r.target === "agent" || r.target === "direct"));
  const errors = compared.reduce((sum, r) => sum + r.load.errors, 0);
  const others = Math.max(0, ...compared.map((r) => r.otherCores));
  const note = `other processes used up to ${others.toFixed(2)} cores during these runs${errors > 0 ? `; ${errors} requests failed` : ""}`;
  const check = (what: "p50" | "p99", limit: number): Verdict => {
    const added = what === "p50" ? agent?.addedP50 : agent?.addedP99;
    const target = `agent adds ≤ ${limit} ms ${what} at ${TARGET_RATE} rps`;
    if (added === undefined || added === null) return { target, measured: "–", outcome: "NOT MEASURED", note: "" };
    return { target, measured: `${added >= 0 ? "+" : ""}${added.toFixed(3)} ms`, outcome: added <= limit && errors === 0 ? "PASS" : "FAIL", note };
  };
  return [check("p50", 1), check("p99", 5)];
}

/**
 * Shadow traffic's cost to the user: p99 through the agent that mirrors every request minus p99
 * through the plain agent, both at TARGET_RATE in the same run (the issue's goal: ≤ 1 ms).
 */
export function shadowVerdict(rows: readonly RateRow[] | undefined, runs: readonly RunResult[]): Verdict {
  const target = `mirroring every request adds ≤ 1 ms p99 at ${TARGET_RATE} rps (vs the plain agent)`;
  const plain = rows?.find((r) => r.target === "agent");
  const shadow = rows?.find((r) => r.target === "agent-shadow");
  if (plain === undefined || shadow === undefined) return { target, measured: "–", outcome: "NOT MEASURED", note: "" };
  const compared = runs.filter((r) => r.mode === "open" && r.rate === TARGET_RATE && (r.target === "agent" || r.target === "agent-shadow"));
  const errors = compared.reduce((sum, r) => sum + r.load.errors, 0);
  const others = Math.max(0, ...compared.map((r) => r.otherCores));
  const added = shadow.p99 - plain.p99;
  return {
    target,
    measured: `${added >= 0 ? "+" : ""}${added.toFixed(3)} ms (p99 ${shadow.p99.toFixed(3)} vs ${plain.p99.toFixed(3)} ms)`,
    outcome: added <= 1 && errors === 0 ? "PASS" : "FAIL",
    note: `other processes used up to ${others.toFixed(2)} cores during these runs${errors > 0 ? `; ${errors} requests failed` : ""}`,
  };
}

/** A throughput ratio that must be at least `minimum`. */
export function ratioVerdict(target: string, range: RatioRange | undefined, minimum: number, errors: number): Verdict {
  if (range === undefined) return { target, measured: "–", outcome: "NOT MEASURED", note: "" };
  const measured = `${range.ratio.toFixed(3)}× (rounds ${range.perRound.map((r) => r.toFixed(2)).join(", ")})`;
  if (errors > 0) return { target, measured, outcome: "FAIL", note: `${errors} requests failed` };
  if (range.high < minimum) return { target, measured, outcome: "FAIL", note: `every round below ${minimum}×` };
  if (range.low >= minimum) return { target, measured, outcome: "PASS", note: `every round at or above ${minimum}×` };
  return { target, measured, outcome: "INCONCLUSIVE", note: `rounds on both sides of ${minimum}×: noise larger than the margin` };
}
