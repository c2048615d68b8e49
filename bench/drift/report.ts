// Tables and goals of bench:drift: alarm rates with 95% Wilson intervals, per rule.
import type { RowCost } from "./row-cost.ts";
import type { Rule } from "./rules.ts";
import { SCENARIOS } from "./scenarios.ts";

export interface Cell {
  readonly rule: string;
  readonly scenario: string;
  readonly rows: number;
  readonly pods: number;
  readonly windows: number;
  readonly alarms: number;
}

export interface Verdict {
  readonly goal: string;
  readonly measured: string;
  /** "PASS (within sampling error)": above the goal, but not significantly (the 95% interval reaches it). */
  readonly outcome: "PASS" | "PASS (within sampling error)" | "MISS";
}

/** 95% Wilson score interval of a proportion. */
export function wilson(successes: number, trials: number): [number, number] {
  const z = 1.959964;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
const NULL_SCENARIOS = new Set(["no drift", "no drift (categorical)"]);

export function verdicts(cells: readonly Cell[], windows: number): Verdict[] {
  const mdo = cells.filter((c) => c.rule === "MDO pooled");
  const power = mdo.find((c) => c.scenario === "mean +0.25σ" && c.rows === 1000 && c.pods === 1);
  const nulls = mdo.filter((c) => NULL_SCENARIOS.has(c.scenario));
  const worst = nulls.reduce((a, b) => (b.alarms > a.alarms ? b : a));
  return [
    {
      goal: "MDO: power ≥ 95% at a 0.25σ mean shift, windows of 1000 rows, 1 pod",
      measured: power === undefined ? "not measured" : `${percent(power.alarms / windows)} (95% CI ${wilson(power.alarms, windows).map(percent).join("–")})`,
      outcome: power !== undefined && power.alarms / windows >= 0.95 ? "PASS" : "MISS",
    },
    {
      goal: "MDO: false alarms ≤ 1% at every window size and pod count",
      measured: `at most ${percent(worst.alarms / windows)} (${worst.scenario}, ${worst.rows} rows, ${worst.pods} pod(s); 95% CI ${wilson(worst.alarms, windows).map(percent).join("–")})`,
      outcome: worst.alarms / windows <= 0.01 ? "PASS" : wilson(worst.alarms, windows)[0] <= 0.01 ? "PASS (within sampling error)" : "MISS",
    },
  ];
}

export function renderTables(cells: readonly Cell[], rules: readonly Rule[], rowCost: RowCost, outcome: readonly Verdict[]): string {
  const columns: { rows: number; pods: number }[] = [];
  for (const rows of [100, 1000, 10_000]) for (const pods of [1, 5]) columns.push({ rows, pods });
  const lines: string[] = [];
  for (const rule of rules) {
    lines.push(`### ${rule.short}`, "", rule.name, "");
    lines.push(`| scenario | ${columns.map((c) => `n=${c.rows}, ${c.pods} pod${c.pods > 1 ? "s" : ""}`).join(" | ")} |`);
    lines.push(`| --- | ${columns.map(() => "---").join(" | ")} |`);
    for (const scenario of SCENARIOS) {
      const row = columns.map((c) => {
        const cell = cells.find((x) => x.rule === rule.short && x.scenario === scenario.name && x.rows === c.rows && x.pods === c.pods);
        return cell === undefined ? "–" : percent(cell.alarms / cell.windows);
      });
      lines.push(`| ${scenario.name}${NULL_SCENARIOS.has(scenario.name) ? " (false alarms)" : ""} | ${row.join(" | ")} |`);
    }
    lines.push("");
  }
  lines.push("| goal | measured | verdict |", "| --- | --- | --- |", ...outcome.map((v) => `| ${v.goal} | ${v.measured} | ${v.outcome} |`), "");
  lines.push(`Agent drift cost per row of ${rowCost.features} numeric features: ${rowCost.observeNs.toFixed(0)} ns (DriftMonitor.observe, median of ${rowCost.rounds} rounds of ${rowCost.callsPerRound}); JSON.parse of that row's v2 body in the same run: ${rowCost.jsonParseNs.toFixed(0)} ns; ratio ${rowCost.ratio.toFixed(2)}×.`);
  return lines.join("\n");
}
