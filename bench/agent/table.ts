// The report as Markdown tables: printed at the end of a run and pasted into docs/benchmarks.md.
import type { RunResult } from "./measure.ts";
import type { RatioRange } from "./ratio.ts";
import type { Report } from "./report.ts";
import { TARGET_LABELS } from "./target.ts";

type Cell = string | number | null;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (c: Cell): string => (c === null ? "–" : String(c));
  const lines = [header, header.map(() => "---"), ...rows.map((r) => r.map(text))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const ms = (n: number): string => n.toFixed(3);
const signed = (n: number | null): Cell => (n === null ? null : `${n >= 0 ? "+" : ""}${n.toFixed(3)}`);
const times = (n: number | null): Cell => (n === null ? null : `${n.toFixed(2)}×`);
const cpu = (n: number | null): Cell => (n === null ? null : n.toFixed(4));

export function reportTables(report: Report): string {
  const parts: string[] = [];
  for (const { rate, rows } of report.rates) {
    parts.push(`Open loop, ${rate} requests/s, 1 KB JSON; latency in ms from each request's scheduled send time:\n`);
    parts.push(table(
      ["target", "p50", "p90", "p99", "max", "added p50", "added p99", "p50 ×", "p99 ×", "proxy CPU s / 1000 req", "errors"],
      rows.map((r) => [TARGET_LABELS[r.target], ms(r.p50), ms(r.p90), ms(r.p99), ms(r.max), signed(r.addedP50), signed(r.addedP99), times(r.ratioP50), times(r.ratioP99), cpu(r.proxyCpuPer1000), r.errors]),
    ));
    parts.push("");
  }
  if (report.saturation.length > 0) {
    parts.push("Saturation (closed loop): median of the rounds; latency in ms from each send, of the median round:\n");
    parts.push(table(
      ["target", "requests/s", "rounds", "p50", "p99", "proxy CPU s / 1000 req", "rounds' proxy CPU", "errors"],
      report.saturation.map((s) => [
        TARGET_LABELS[s.target], s.rps, s.rounds.join(", "), ms(s.p50), ms(s.p99), cpu(s.proxyCpuPer1000),
        s.cpuRounds.every((c) => c === null) ? null : s.cpuRounds.map(cpu).join(", "), s.errors,
      ]),
    ));
    parts.push("");
    const ratio = (r: RatioRange | undefined): string => (r === undefined ? "–" : `${r.ratio.toFixed(2)}× (rounds ${r.perRound.map((x) => x.toFixed(2)).join(", ")})`);
    parts.push(`agent / nginx throughput (a reference, not a target): ${ratio(report.agentOverNginx)}\n`);
  }
  parts.push("Targets (medians of the rounds; each round pairs two targets measured back to back):\n");
  parts.push(table(
    ["target", "measured", "verdict", "note"],
    report.verdicts.map((v) => [v.target, v.measured, v.outcome, v.note]),
  ));
  return parts.join("\n");
}

/** Per run: what the generator and the machine were doing, to judge the noise. */
export function conditionsTable(runs: readonly RunResult[]): string {
  return table(
    ["target", "load", "answered/s", "send lag p50 / p99 ms", "proxy CPU in kernel", "generator cores", "model server CPU s / 1000 req", "other processes' cores"],
    runs.map((r) => [
      TARGET_LABELS[r.target],
      r.mode === "open" ? `${r.rate} rps` : `${r.connections} callers, round ${r.round}`,
      Math.round(r.load.achievedRps),
      r.load.sendLag === undefined ? null : `${ms(r.load.sendLag.p50)} / ${ms(r.load.sendLag.p99)}`,
      r.proxyKernelShare === null ? null : `${Math.round(r.proxyKernelShare * 100)}%`,
      r.load.generatorCpuCores.toFixed(2),
      cpu(r.upstreamCpuPer1000),
      r.otherCores.toFixed(2),
    ]),
  );
}
