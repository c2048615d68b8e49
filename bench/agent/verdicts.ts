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
 * through the plain agent, at TARGET_RATE, in each latency round (the two ran back to back); the
 * median over rounds is judged (the issue's goal: ≤ 1 ms); the note says whether every round
 * agreed or the rounds fell on both sides of the limit (noise larger than the margin).
 */
export function shadowVerdict(runs: readonly RunResult[]): Verdict {
  const target = `mirroring every request adds ≤ 1 ms p99 at ${TARGET_RATE} rps (vs the plain agent, median of rounds)`;
  const open = runs.filter((r) => r.mode === "open" && r.rate === TARGET_RATE);
  const rounds = [...new Set(open.map((r) => r.round))].sort((a, b) => a - b);
  const added: number[] = [];
  for (const round of rounds) {
    const plain = open.find((r) => r.round === round && r.target === "agent");
    const shadow = open.find((r) => r.round === round && r.target === "agent-shadow");
    if (plain !== undefined && shadow !== undefined) added.push(shadow.load.latency.p99 - plain.load.latency.p99);
  }
  if (added.length === 0) return { target, measured: "–", outcome: "NOT MEASURED", note: "" };
  const compared = open.filter((r) => r.target === "agent" || r.target === "agent-shadow");
  const errors = compared.reduce((sum, r) => sum + r.load.errors, 0);
  const others = Math.max(0, ...compared.map((r) => r.otherCores));
  const sorted = [...added].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const signed = (x: number): string => `${x >= 0 ? "+" : ""}${x.toFixed(3)} ms`;
  const measured = `${signed(median)} (rounds ${added.map(signed).join(", ")})`;
  const note = `other processes used up to ${others.toFixed(2)} cores during these runs${errors > 0 ? `; ${errors} requests failed` : ""}`;
  if (errors > 0) return { target, measured, outcome: "FAIL", note };
  if (sorted[0]! > 1) return { target, measured, outcome: "FAIL", note: `every round above 1 ms; ${note}` };
  if (sorted.at(-1)! <= 1) return { target, measured, outcome: "PASS", note: `every round at or below 1 ms; ${note}` };
  return { target, measured, outcome: median <= 1 ? "PASS" : "FAIL", note: `rounds on both sides of 1 ms: the median decides; ${note}` };
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
