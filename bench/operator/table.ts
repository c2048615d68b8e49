// The benchmark's results as Markdown tables (they go into docs/benchmarks.md as printed).
import type { FloorPhase } from "./floor-phase.ts";
import type { OperatorPhase } from "./operator-phase.ts";
import type { Spread } from "./stats.ts";
import type { Verdict } from "./verdicts.ts";

const seconds = (s: Spread): string => `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)} / ${s.max.toFixed(1)}`;
const verbs = (counts: Readonly<Record<string, number>>): string => Object.entries(counts).sort().map(([v, n]) => `${v} ${n}`).join(", ");

export function renderTables(operator: OperatorPhase, floor: FloorPhase | undefined, verdicts: readonly Verdict[]): string {
  const rows = [
    "| | all Ready, s | create → Ready p50 / p99 / max, s | Ready at 25 / 50 / 75% of the time | requests per ModelDeployment |",
    "| --- | --- | --- | --- | --- |",
  ];
  if (floor !== undefined) {
    rows.push(`| floor | ${floor.create.allReadySeconds.toFixed(1)} | ${seconds(floor.create.createToReady)} | ${floor.create.readyAtQuarters.join(" / ")} | ${floor.requestsPerModelTotal} (${verbs(floor.requestsPerModel)}) |`);
  }
  rows.push(`| operator | ${operator.create.allReadySeconds.toFixed(1)} | ${seconds(operator.create.createToReady)} | ${operator.create.readyAtQuarters.join(" / ")} | ${operator.requestsPerModelTotal} (${verbs(operator.requestsPerModel)}) |`);
  const more = [
    "",
    "| operator | |",
    "| --- | --- |",
    `| reconciles per ModelDeployment to all Ready | ${operator.reconcilesPerModel} |`,
    `| writes in the 15 s after all Ready | ${operator.settleWrites} |`,
    `| requests per minute at steady state | ${verbs(operator.steadyRequestsPerMinute) || "none"} |`,
    `| RSS: idle / at all Ready / after steady / peak, MB | ${operator.rssMB.idle} / ${operator.rssMB.atAllReady} / ${operator.rssMB.afterSteady} / ${operator.rssMB.peak} |`,
    `| V8 heap used / reserved: at all Ready, after steady, MB | ${operator.heapMB.usedAtAllReady} / ${operator.heapMB.totalAtAllReady}, ${operator.heapMB.usedAfterSteady} / ${operator.heapMB.totalAfterSteady} |`,
    `| CPU: creating all, s / at steady state, s per minute | ${operator.cpuSeconds.create} / ${operator.cpuSeconds.steadyPerMinute} |`,
  ];
  if (operator.change !== undefined) more.push(`| spec change → Deployment updated p50 / p99 / max, s | ${operator.change.p50.toFixed(3)} / ${operator.change.p99.toFixed(3)} / ${operator.change.max.toFixed(3)} |`);
  if (operator.rollout !== undefined) {
    more.push(`| rollout of ${operator.rollout.count} at once: all done, s | ${operator.rollout.allSeconds.toFixed(1)} |`);
    more.push(`| rollout: each, p50 / p99 / max, s | ${seconds(operator.rollout.perModel)} |`);
    more.push(`| rollout: requests per ModelDeployment | ${verbs(operator.rollout.requestsPerModel)} |`);
  }
  const judged = ["", "| goal | measured | verdict |", "| --- | --- | --- |", ...verdicts.map((v) => `| ${v.goal} | ${v.measured} | ${v.pass ? "PASS" : "FAIL"} |`)];
  return [...rows, ...more, ...judged].join("\n");
}
