// The results as Markdown tables: printed at the end of a run and pasted into docs/benchmarks.md.
import type { ColdStartSummary } from "./cold-summary.ts";
import { ADDED_P50_TARGET_MS } from "./cold-summary.ts";
import type { Spread } from "./stats.ts";
import type { SteadyResult } from "./steady.ts";
import type { StepResult } from "./step.ts";

type Cell = string | number | null;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (c: Cell): string => (c === null ? "–" : String(c));
  const lines = [header, header.map(() => "---"), ...rows.map((r) => r.map(text))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const ms = (n: number): string => (Number.isNaN(n) ? "–" : n.toFixed(1));
const signed = (n: number): string => `${n >= 0 ? "+" : ""}${n.toFixed(2)}`;
const spreadRow = (what: string, s: Spread): Cell[] => [what, s.count, ms(s.p50), ms(s.p95), ms(s.max), ms(s.min)];

export function coldStartTable(s: ColdStartSummary): string {
  return [
    `Cold start: ${s.rounds} rounds, ${s.heldPerRound} requests held per round; ms:\n`,
    table(["measure", "n", "p50", "p95", "max", "min"], [
      spreadRow("demand → MLServer model ready", s.demandToModelReadyMs),
      spreadRow("demand → backend ready (t_ready)", s.demandToReadyMs),
      spreadRow("backend ready − model ready (agent's readiness lag)", s.readinessLagMs),
      spreadRow("direct request: ready → answer (baseline)", s.directMs),
      spreadRow("held requests: ready → forwarded by the activator", s.forwardedAfterReadyMs),
      spreadRow("held requests: ready → answer", s.heldFromReadyMs),
      spreadRow("**added: held answer − direct answer** (every held request)", s.addedMs),
      spreadRow("added, median held request of each round", s.roundMedianAddedMs),
      spreadRow("added, first held answer of each round", s.firstHeldAddedMs),
    ]),
    "",
    `Held answers: ${s.rounds * s.heldPerRound - s.lost} of ${s.rounds * s.heldPerRound} answered 200 with the model's predictions, ${s.withHeader} with x-mdo-cold-start; lost ${s.lost}; rounds where not every request was held at the ready instant: ${s.roundsNotAllHeld}; direct requests that failed: ${s.baselineFailures}.`,
    `Target: added latency p50 ≤ ${ADDED_P50_TARGET_MS} ms and none lost: **${s.verdict}** (p50 ${ms(s.addedMs.p50)} ms). The activator's own part is "ready → forwarded"; the rest of "added" is the pod serving ${s.heldPerRound} requests that reach it together, about a millisecond after the direct one.`,
  ].join("\n");
}

export function steadyTable(s: SteadyResult, connections: number, duration: number): string {
  const rows = s.runs.map((r) => [
    r.round, r.via, Math.round(r.load.achievedRps), r.load.latency.p50.toFixed(2), r.load.latency.p99.toFixed(2),
    r.activatorCpuPer1000 === null ? null : r.activatorCpuPer1000.toFixed(3), r.agentCpuPer1000 === null ? null : r.agentCpuPer1000.toFixed(3), r.load.errors,
  ]);
  const ratio = s.throughputRatio;
  return [
    `Ready pod, closed loop, ${connections} connections, ${duration} s per run; latency in ms from each send:\n`,
    table(["round", "via", "requests/s", "p50", "p99", "activator CPU s / 1000 req", "agent CPU s / 1000 req", "errors"], rows),
    "",
    `Through the activator / direct, throughput: ${ratio === undefined ? "–" : `${ratio.ratio.toFixed(3)}× (rounds ${ratio.perRound.map((x) => x.toFixed(3)).join(", ")})`}`,
    `Added latency (activator − direct, median of rounds): p50 ${signed(s.addedP50)} ms (rounds ${s.addedP50PerRound.map(signed).join(", ")}), p99 ${signed(s.addedP99)} ms (rounds ${s.addedP99PerRound.map(signed).join(", ")})`,
    `Activator CPU: ${s.activatorCpuPer1000.toFixed(3)} CPU-s per 1000 requests (median of rounds)${s.agentCpuPer1000 === null ? "" : `; the pod's agent, a proxy handling the same requests: ${s.agentCpuPer1000.toFixed(3)}`}; errors: ${s.errors}.`,
  ].join("\n");
}

export function stepTable(s: StepResult, duration: number): string {
  const statuses = Object.entries(s.byStatus).map(([status, n]) => `${status === "0" ? "connection error" : status}: ${n}`).join(", ");
  return [
    `Step load from zero: ${s.clients} clients at once, closed loop, until ${duration} s after the pod was ready; ms from the step:\n`,
    table(["measure", "value"], [
      ["requests", s.requests],
      ["answers by status", statuses],
      ["**lost** (not 200 with the predictions)", s.lost],
      ["held (answers with x-mdo-cold-start) / held at the ready instant", `${s.held} / ${s.heldAtReady}`],
      ["step → onDemand", ms(s.stepToDemandMs)],
      ["step → pod ready", ms(s.stepToReadyMs)],
      ["step → first answer", ms(s.stepToFirstAnswerMs)],
      ["ready → first answer / last held answer", `${ms(s.readyToFirstAnswerMs)} / ${ms(s.readyToLastHeldAnswerMs)}`],
      ["after ready: requests/s, p50 / p99 latency", `${s.afterReadyRps}, ${s.afterReadyLatency.p50.toFixed(1)} / ${s.afterReadyLatency.p99.toFixed(1)}`],
    ]),
    "",
    `None lost: **${s.lost === 0 ? "PASS" : "FAIL"}**${s.firstLostError === undefined ? "" : ` (first: ${s.firstLostError})`}.`,
  ].join("\n");
}
