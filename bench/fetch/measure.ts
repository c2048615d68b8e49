// One measured download: a tool fetches a case into a fresh directory on the work directory's
// disk; wall time from spawn to exit, the tool's peak RSS, the S3 server's peak RSS meanwhile; then
// the bytes on disk are verified against the dataset's digest (and mdo's printed digest too), the
// directory is deleted and `sync` run, so the next download starts with no writeback pending.
import { execFile } from "node:child_process";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { digestOfPath } from "../../src/delivery/digest.ts";
import { invocation, printedDigest, type Endpoint, type ToolName } from "./clients.ts";
import type { Dataset } from "./dataset.ts";
import type { CaseName } from "./flags.ts";
import { machineBusySeconds, resetPeak, sampleProcess, type ProcessSample } from "./proc-sample.ts";
import { checkExit, timedRun, type TimedRun } from "./timed-run.ts";
import type { WorkDir } from "./work-dir.ts";

const run = promisify(execFile);

export interface Download {
  readonly case: CaseName;
  readonly tool: ToolName;
  /** 1-based. */
  readonly round: number;
  readonly seconds: number;
  readonly mibPerSecond: number;
  /** The tool's peak resident set (VmHWM), bytes. */
  readonly peakRssBytes: number;
  /** How often /proc/<pid>/status was read during the download. */
  readonly rssSamples: number;
  /** The S3 server's peak resident set during the download (VmHWM reset at the start), bytes. */
  readonly serverPeakRssBytes: number;
  /** False if the server's VmHWM could not be reset: its peak is then the whole run's so far. */
  readonly serverPeakReset: boolean;
  /** CPU seconds (user + system) the tool used, from its start to its last poll. */
  readonly cpuSeconds: number;
  /** CPU seconds the S3 server used meanwhile. */
  readonly serverCpuSeconds: number;
  /** Cores busy with anything else on the machine meanwhile (other work disturbing the run). */
  readonly otherCores: number;
  /** mdo's own account of its time ("… in 7.1 s"), seconds. */
  readonly reportedSeconds: number | undefined;
  readonly expectedDigest: string;
  readonly digestOnDisk: string;
  readonly digestPrinted: string | undefined;
  /** The bytes on disk (and mdo's printed digest) match the dataset, and nothing else was written. */
  readonly verified: boolean;
  readonly problem: string | undefined;
}

export interface MeasureContext {
  readonly endpoint: Endpoint;
  readonly dataset: Dataset;
  readonly workDir: WorkDir;
  readonly signal: AbortSignal;
  /** Told every HEARTBEAT_MS how a long download is doing. */
  readonly progress: (message: string) => void;
}

const HEARTBEAT_MS = 30_000;

/** Bytes of the regular files under `dir` (0 for what vanished meanwhile). */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += await stat(join(entry.parentPath, entry.name)).then((s) => s.size, () => 0);
  }
  return total;
}

export async function measureDownload(context: MeasureContext, tool: ToolName, name: CaseName, round: number): Promise<Download> {
  const { endpoint, dataset, workDir, signal } = context;
  const data = name === "one-file" ? dataset.oneFile : dataset.manyFiles;
  const runDir = join(workDir.dir, "downloads", `${name}-${tool}-${round}`);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  try {
    const call = invocation(tool, name, runDir, endpoint);
    const serverPid = endpoint.s3.pid;
    const serverPeakReset = resetPeak(serverPid);
    const server = sampleProcess(serverPid);
    const busyBefore = machineBusySeconds();
    const started = performance.now();
    const heartbeat = setInterval(() => {
      void bytesUnder(runDir).then((bytes) => context.progress(
        `  … ${Math.round((performance.now() - started) / 1000)} s, ${(bytes / 2 ** 20).toFixed(0)} of ${(data.bytes / 2 ** 20).toFixed(0)} MiB on disk`,
      ));
    }, HEARTBEAT_MS);
    let result: TimedRun;
    let serverUsage: ProcessSample;
    try {
      result = await timedRun(call.command, call.args, { env: call.env, workDir, signal });
    } finally {
      clearInterval(heartbeat);
      serverUsage = server.stop();
    }
    const busy = machineBusySeconds() - busyBefore;
    checkExit(`${tool} downloading the ${name} case`, result);
    const seconds = result.wallMs / 1000;
    const digestOnDisk = await digestOfPath(call.result, signal);
    const digestPrinted = call.printsDigest ? printedDigest(result.stdout) : undefined;
    const problems: string[] = [];
    if (digestOnDisk !== data.digest) problems.push(`the downloaded bytes have digest ${digestOnDisk}, the model ${data.digest}`);
    if (call.printsDigest && digestPrinted !== data.digest) problems.push(`mdo fetch printed digest ${digestPrinted ?? "(none)"}, the model has ${data.digest}`);
    if (name === "one-file") {
      const names = await readdir(dirname(call.result));
      if (names.length !== 1) problems.push(`the download directory holds ${names.join(", ")}, not just model.bin`);
    }
    const reported = /in (\d+(?:\.\d+)?) s, digest/.exec(result.stdout)?.[1];
    return {
      case: name, tool, round, seconds,
      mibPerSecond: data.bytes / 2 ** 20 / seconds,
      peakRssBytes: result.usage.hwmBytes,
      rssSamples: result.usage.samples,
      serverPeakRssBytes: serverUsage.hwmBytes,
      serverPeakReset,
      cpuSeconds: result.usage.cpuSecondsTotal,
      serverCpuSeconds: serverUsage.cpuSeconds,
      otherCores: Math.max(0, busy - result.usage.cpuSecondsTotal - serverUsage.cpuSeconds) / seconds,
      reportedSeconds: reported === undefined ? undefined : Number(reported),
      expectedDigest: data.digest,
      digestOnDisk,
      digestPrinted,
      verified: problems.length === 0,
      problem: problems.length === 0 ? undefined : problems.join("; "),
    };
  } finally {
    await rm(runDir, { recursive: true, force: true });
    await run("sync");
  }
}
