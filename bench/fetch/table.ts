// The report as Markdown tables: printed at the end of a run and pasted into docs/benchmarks.md.
import { TOOL_LABELS } from "./clients.ts";
import type { Download } from "./measure.ts";
import type { Report } from "./report.ts";

type Cell = string | number | null;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (c: Cell): string => (c === null ? "–" : String(c));
  const lines = [header, header.map(() => "---"), ...rows.map((r) => r.map(text))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const mibps = (n: number): string => n.toFixed(1);
const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
const caseLabel = (files: number, bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB, ${files} ${files === 1 ? "file" : "files"}`;

export function reportTables(report: Report): string {
  const rows = report.cases.flatMap((c) => c.tools.map((t): Cell[] => [
    caseLabel(c.files, c.bytes),
    TOOL_LABELS[t.tool],
    t.rounds.map(mibps).join(", "),
    mibps(t.medianMiBps),
    t.medianSeconds.toFixed(1),
    t.tool === "mdo" && c.ratio !== undefined ? `${c.ratio.ratio.toFixed(2)}× (${c.ratio.perRound.map((r) => r.toFixed(2)).join(", ")})` : null,
    mb(t.peakRssBytes),
    t.medianCpuSeconds.toFixed(1),
    t.medianServerCpuSeconds.toFixed(1),
    t.verified ? "yes" : "NO",
  ]));
  return [
    "Downloads from moto's S3 server on 127.0.0.1 (MiB/s = model size / wall time of the command, process start included; RSS in MB = 10^6 bytes; CPU s = user + system, median of the rounds):\n",
    table(["case", "tool", "MiB/s per round", "median MiB/s", "median s", "mdo / reference (rounds)", "peak RSS MB", "tool CPU s", "S3 server CPU s", "bytes verified"], rows),
    "",
    "Goals:\n",
    table(["goal", "measured", "verdict", "note"], report.verdicts.map((v) => [v.goal, v.measured, v.outcome, v.note])),
  ].join("\n");
}

/** Per download: what the server and the rest of the machine were doing, to judge the noise. */
export function conditionsTable(downloads: readonly Download[]): string {
  return table(
    ["case", "round", "tool", "s", "MiB/s", "tool CPU s", "tool peak RSS MB", "S3 server CPU s", "S3 server peak RSS MB", "other processes' cores"],
    downloads.map((d) => [d.case, d.round, TOOL_LABELS[d.tool], d.seconds.toFixed(1), mibps(d.mibPerSecond), d.cpuSeconds.toFixed(1), mb(d.peakRssBytes), d.serverCpuSeconds.toFixed(1), mb(d.serverPeakRssBytes), d.otherCores.toFixed(2)]),
  );
}
