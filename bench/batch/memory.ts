// The memory part: `mdo batch run` as a BatchPrediction's pod runs it (compiled to JavaScript as in
// the image, with the Job's NODE_OPTIONS) streams a JSON Lines file of at least --memory-gib GiB of
// wide rows through the `wide` model while its VmRSS is polled every --sample-ms (and its VmHWM,
// the kernel's high-water mark, which a peak between two polls cannot escape): the verdict. Then,
// as references on the same file, the direct client (what a minimal Node.js client's resident set
// is under the same load) and the worker from source with V8's default heap sizing. A
// progress line every 5 s: how much the client has read, its RSS now and at its highest.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { clientCommand, type ClientJob, type ClientName } from "./clients.ts";
import type { InputFile } from "./input-file.ts";
import { bytesRead } from "./rss-sample.ts";
import { percentile, round } from "./stats.ts";
import { timedRun } from "./timed-run.ts";
import { checkManifest, readPredictions } from "./verify.ts";

export const RSS_LIMIT_BYTES = 150e6;
const MB = 1e6;

export interface MemoryRun {
  readonly label: string;
  readonly client: ClientName;
  readonly nodeFlags: readonly string[];
  readonly wallMs: number;
  readonly rowsPerSecond: number;
  /** Input MB (10^6 bytes) per second over the wall time. */
  readonly inputMBPerSecond: number;
  readonly batches: number;
  /** Rows per predicted class: a check that the model answered. */
  readonly classes: Readonly<Record<string, number>>;
  readonly cpuSeconds: number;
  readonly serverCpuSeconds: number;
  readonly rss: {
    readonly samples: number;
    readonly intervalMs: number;
    readonly p50Bytes: number;
    readonly p95Bytes: number;
    readonly peakSampledBytes: number;
    /** VmHWM at the last poll: the highest resident set the process ever had. */
    readonly hwmBytes: number;
    /** The higher of the two: what the target judges. */
    readonly peakBytes: number;
  };
  /** [ms since spawn, VmRSS bytes] about once a second, for a plot. */
  readonly timeline: readonly (readonly [number, number])[];
}

export interface MemoryResult {
  readonly input: { readonly rows: number; readonly bytes: number; readonly features: number };
  /** The worker as users run it (the verdict), then the references. */
  readonly runs: readonly MemoryRun[];
  readonly verdict: "PASS" | "FAIL";
}

export interface MemoryRunOptions {
  readonly label: string;
  readonly client: ClientName;
  readonly nodeFlags: readonly string[];
  readonly sampleMs: number;
  readonly serverPid: number;
  /** The worker's script; default src/cmd/mdo.ts (the verdict run uses the compiled one, as the image). */
  readonly script?: string;
}

export async function memoryRun(dir: string, input: InputFile, job: ClientJob, o: MemoryRunOptions, progress: (message: string) => void): Promise<MemoryRun> {
  const outDir = join(dir, "memory-out");
  await mkdir(outDir, { recursive: true });
  try {
    const command = clientCommand(o.client, job, outDir, o.script);
    const r = await timedRun(command.script, command.args, {
      serverPid: o.serverPid, sampleMs: o.sampleMs, nodeFlags: o.nodeFlags,
      onProgress: {
        everyMs: 5000,
        call: (pid, elapsedMs, memory) => {
          const read = bytesRead(pid);
          const now = memory.samples.at(-1)?.rssBytes ?? 0;
          const where = read === undefined ? "" : `read about ${(read / 2 ** 30).toFixed(2)} of ${(input.bytes / 2 ** 30).toFixed(2)} GiB, `;
          progress(`Memory, ${o.label}, ${Math.round(elapsedMs / 1000)} s: ${where}RSS ${(now / MB).toFixed(1)} MB, highest ${(memory.hwmBytes / MB).toFixed(1)} MB`);
        },
      },
    });
    if (r.exitCode !== 0) throw new Error(`${o.label} exited with ${String(r.exitCode)}; stderr ends with:\n${r.stderrTail}`);
    let batches: number;
    if (o.client === "worker") {
      batches = checkManifest(r.stdout, input.rows).batches;
    } else {
      const summary = JSON.parse(r.stdout.trim()) as { rows: number; batches: number };
      if (summary.rows !== input.rows) throw new Error(`The direct client predicted ${summary.rows} of ${input.rows} rows`);
      batches = summary.batches;
    }
    // One prediction per row, each a class of the binary model.
    const predictions = await readPredictions(command.predictions, input.rows);
    const classes: Record<string, number> = {};
    for (const p of predictions) classes[p] = (classes[p] ?? 0) + 1;
    if (Object.keys(classes).some((c) => c !== "0" && c !== "1")) throw new Error(`The wide model predicted classes other than 0 and 1: ${JSON.stringify(classes)}`);
    const rss = r.memory.samples.map((s) => s.rssBytes);
    let nextSecond = 0;
    const timeline: [number, number][] = [];
    for (const s of r.memory.samples) {
      if (s.t < nextSecond) continue;
      timeline.push([s.t, s.rssBytes]);
      nextSecond = s.t + 1000;
    }
    const run: MemoryRun = {
      label: o.label, client: o.client, nodeFlags: o.nodeFlags,
      wallMs: round(r.wallMs),
      rowsPerSecond: Math.round(input.rows / (r.wallMs / 1000)),
      inputMBPerSecond: round(input.bytes / MB / (r.wallMs / 1000)),
      batches, classes, cpuSeconds: round(r.cpuSeconds), serverCpuSeconds: round(r.serverCpuSeconds),
      rss: {
        samples: rss.length, intervalMs: o.sampleMs, p50Bytes: percentile(rss, 50), p95Bytes: percentile(rss, 95),
        peakSampledBytes: r.memory.peakRssBytes, hwmBytes: r.memory.hwmBytes, peakBytes: Math.max(r.memory.peakRssBytes, r.memory.hwmBytes),
      },
      timeline,
    };
    progress(`Memory, ${o.label}: ${run.rowsPerSecond} rows/s (${(run.wallMs / 1000).toFixed(1)} s), CPU ${run.cpuSeconds} s, MLServer CPU ${run.serverCpuSeconds} s, RSS p95 ${(run.rss.p95Bytes / MB).toFixed(1)} MB, peak ${(run.rss.peakBytes / MB).toFixed(1)} MB`);
    return run;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export function judgeMemory(input: MemoryResult["input"], runs: readonly MemoryRun[]): MemoryResult {
  return { input, runs, verdict: runs[0]!.rss.peakBytes < RSS_LIMIT_BYTES ? "PASS" : "FAIL" };
}
