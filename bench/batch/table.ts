// The results as Markdown tables: printed at the end of a run and pasted into docs/benchmarks.md.
import type { MemoryResult } from "./memory.ts";
import { RSS_LIMIT_BYTES } from "./memory.ts";
import { RATIO_TARGET, type ThroughputResult, type ThroughputRun } from "./throughput.ts";

type Cell = string | number;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, header.map(() => "---"), ...rows.map((r) => r.map(String))];
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const s = (ms: number): string => (ms / 1000).toFixed(2);

export function throughputTable(t: ThroughputResult, batchSize: number, concurrency: number): string {
  const per = (client: ThroughputRun["client"]): ThroughputRun[] => t.runs.filter((r) => r.client === client);
  const row = (name: string, runs: ThroughputRun[], med: number, inner: number): Cell[] => [
    name, `**${med}**`, runs.map((r) => r.rowsPerSecond).join(", "), inner, runs.map((r) => s(r.wallMs)).join(", "),
    runs.map((r) => r.cpuSeconds.toFixed(2)).join(", "), runs.map((r) => r.serverCpuSeconds.toFixed(2)).join(", "), runs.map((r) => mb(r.peakRssBytes)).join(", "),
  ];
  return [
    `Throughput: ${t.input.rows} iris rows (${mb(t.input.bytes)} MB of JSON Lines), batch size ${batchSize}, concurrency ${concurrency}, ${t.runs.length / 2} rounds; rows/s over each process's wall time (start to exit):\n`,
    table(["client", "rows/s (median)", "rounds' rows/s", "rows/s inside (median)", "wall s", "client CPU s", "MLServer CPU s", "client peak RSS MB"], [
      row("direct client (baseline)", per("direct"), t.median.direct, t.median.directInner),
      row("`mdo batch run`", per("worker"), t.median.worker, t.median.workerInner),
    ]),
    "",
    `Worker ÷ direct, per round: ${t.roundRatios.map((r) => `${r.toFixed(3)}×`).join(", ")} (inside, without process start-up: ${t.innerRoundRatios.map((r) => `${r.toFixed(3)}×`).join(", ")}).`,
    `Client CPU per row, worker ÷ direct (medians): ${t.cpuRatio.toFixed(2)}×.`,
    `Target: worker ≥ ${RATIO_TARGET}× the direct client's rows/s (median of the rounds' ratios): **${t.verdict}** (${t.ratio.toFixed(3)}×; inside ${t.innerRatio.toFixed(3)}×).`,
  ].join("\n");
}

export function memoryTable(m: MemoryResult, batchSize: number, concurrency: number): string {
  const first = m.runs[0]!;
  return [
    `Memory: ${(m.input.bytes / 2 ** 30).toFixed(2)} GiB of JSON Lines (${m.input.rows} rows of ${m.input.features} features) streamed against MLServer, batch size ${batchSize}, concurrency ${concurrency}; VmRSS every ${first.rss.intervalMs} ms; MB = 10^6 bytes:\n`,
    table(["client", "wall s", "rows/s", "input MB/s", "client CPU s", "MLServer CPU s", "RSS p50 MB", "RSS p95 MB", "RSS peak MB (sampled / VmHWM)"],
      m.runs.map((r) => [
        r.label, s(r.wallMs), r.rowsPerSecond, r.inputMBPerSecond.toFixed(1), r.cpuSeconds.toFixed(1), r.serverCpuSeconds.toFixed(1),
        mb(r.rss.p50Bytes), mb(r.rss.p95Bytes), `${mb(r.rss.peakSampledBytes)} / ${mb(r.rss.hwmBytes)}`,
      ])),
    "",
    `Target: \`mdo batch run\`'s peak RSS < ${RSS_LIMIT_BYTES / 1e6} MB (the higher of the sampled peak and VmHWM): **${m.verdict}** (${mb(first.rss.peakBytes)} MB). The other rows are references, without a verdict.`,
  ].join("\n");
}
