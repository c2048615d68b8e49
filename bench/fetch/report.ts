// The downloads summed up per case and tool, and the goals: mdo's throughput at least 0.9×
// the reference's (median of the per-round ratios; the tools take turns, so round k of one ran next
// to round k of the other) and mdo's peak RSS under 150 MB in every download.
import { pairedRatio, type RatioRange } from "../agent/ratio.ts";
import { TOOL_NAMES, type ToolName } from "./clients.ts";
import type { CaseName } from "./flags.ts";
import type { Download } from "./measure.ts";

export const THROUGHPUT_GOAL = 0.9;
/** 150 MB, in bytes (10^6). */
export const RSS_GOAL_BYTES = 150e6;

export interface ToolSummary {
  readonly tool: ToolName;
  /** MiB/s of each round, in round order. */
  readonly rounds: readonly number[];
  readonly medianMiBps: number;
  readonly medianSeconds: number;
  /** The tool's CPU seconds (user + system), median of the rounds. */
  readonly medianCpuSeconds: number;
  /** The S3 server's CPU seconds during the tool's downloads, median of the rounds. */
  readonly medianServerCpuSeconds: number;
  /** Highest peak RSS over the rounds, bytes. */
  readonly peakRssBytes: number;
  /** The S3 server's highest peak RSS during this tool's downloads, bytes. */
  readonly serverPeakRssBytes: number;
  readonly verified: boolean;
}

export interface CaseSummary {
  readonly case: CaseName;
  readonly files: number;
  readonly bytes: number;
  readonly tools: readonly ToolSummary[];
  /** mdo's MiB/s over the reference's, paired by round. */
  readonly ratio: RatioRange | undefined;
}

export interface Verdict {
  readonly goal: string;
  readonly measured: string;
  readonly outcome: "PASS" | "MISS";
  /** What the number depends on (CPU of each side, the server's part). */
  readonly note: string;
}

export interface Report {
  readonly cases: readonly CaseSummary[];
  readonly verdicts: readonly Verdict[];
  /** Every download's bytes matched the model. */
  readonly verified: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

/**
 * `startupPeakRssBytes`: the peak RSS of `mdo fetch --help` (module loading alone), for the memory
 * goal's note.
 */
export function buildReport(downloads: readonly Download[], sizes: Record<CaseName, { files: number; bytes: number }>, startupPeakRssBytes?: number): Report {
  const names = [...new Set(downloads.map((d) => d.case))];
  const cases = names.map((name): CaseSummary => {
    const tools = TOOL_NAMES.map((tool): ToolSummary | undefined => {
      const runs = downloads.filter((d) => d.case === name && d.tool === tool).sort((a, b) => a.round - b.round);
      if (runs.length === 0) return undefined;
      return {
        tool,
        rounds: runs.map((r) => r.mibPerSecond),
        medianMiBps: median(runs.map((r) => r.mibPerSecond)),
        medianSeconds: median(runs.map((r) => r.seconds)),
        medianCpuSeconds: median(runs.map((r) => r.cpuSeconds)),
        medianServerCpuSeconds: median(runs.map((r) => r.serverCpuSeconds)),
        peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
        serverPeakRssBytes: Math.max(...runs.map((r) => r.serverPeakRssBytes)),
        verified: runs.every((r) => r.verified),
      };
    }).filter((t) => t !== undefined);
    const of = (tool: ToolName): readonly number[] => tools.find((t) => t.tool === tool)?.rounds ?? [];
    return { case: name, ...sizes[name], tools, ratio: pairedRatio(of("mdo"), of("aws")) };
  });
  const verdicts: Verdict[] = [];
  for (const c of cases) {
    const mdo = c.tools.find((t) => t.tool === "mdo");
    const aws = c.tools.find((t) => t.tool === "aws");
    if (c.ratio === undefined || mdo === undefined || aws === undefined) continue;
    const cpu = `CPU s (median): mdo ${mdo.medianCpuSeconds.toFixed(1)}, the CLI ${aws.medianCpuSeconds.toFixed(1)}; the S3 server ${mdo.medianServerCpuSeconds.toFixed(1)} and ${aws.medianServerCpuSeconds.toFixed(1)}`;
    const server = c.files === 1 ? "; the CLI's 8 MB ranged GETs each make moto read the whole object: the server, not the CLI, sets the reference's pace" : "";
    verdicts.push({
      goal: `${c.case}: mdo fetch ≥ ${THROUGHPUT_GOAL}× the AWS CLI's throughput`,
      measured: `${c.ratio.ratio.toFixed(2)}× (rounds ${c.ratio.perRound.map((r) => r.toFixed(2)).join(", ")})`,
      outcome: c.ratio.ratio >= THROUGHPUT_GOAL ? "PASS" : "MISS",
      note: `${cpu}${server}`,
    });
  }
  const mdoRuns = downloads.filter((d) => d.tool === "mdo");
  if (mdoRuns.length > 0) {
    const peak = Math.max(...mdoRuns.map((d) => d.peakRssBytes));
    verdicts.push({
      goal: `mdo fetch's peak RSS < ${mb(RSS_GOAL_BYTES)} in every download`,
      measured: `${mb(peak)} at most (${mdoRuns.map((d) => (d.peakRssBytes / 1e6).toFixed(0)).join(", ")})`,
      outcome: peak < RSS_GOAL_BYTES ? "PASS" : "MISS",
      note: startupPeakRssBytes === undefined ? "" : `mdo fetch --help alone (module loading): ${mb(startupPeakRssBytes)}`,
    });
  }
  return { cases, verdicts, verified: downloads.every((d) => d.verified) };
}
