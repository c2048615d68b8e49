// One client run as a child process of this Node.js (the worker, `node src/cmd/mdo.ts batch run
// …`, or the direct client): wall time from spawn to exit, its stdout, and while it runs its
// resident set (rss-sample.ts) and CPU, and the model server's CPU over the same span.
import { spawn, type ChildProcess } from "node:child_process";
import { clockTicksPerSecond, processCpuSeconds } from "../agent/proc-cpu.ts";
import { sampleRss, type RssSamples } from "./rss-sample.ts";

const TICKS = clockTicksPerSecond();
const running = new Set<ChildProcess>();

export interface TimedRun {
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderrTail: string;
  /** The child's utime + stime at its last poll (at most one poll period before it exited). */
  readonly cpuSeconds: number;
  /** The model server's utime + stime from spawn to exit. */
  readonly serverCpuSeconds: number;
  readonly memory: RssSamples;
}

export interface TimedRunOptions {
  readonly serverPid: number;
  readonly sampleMs: number;
  /** Node.js flags before the script (e.g. --max-old-space-size=64). */
  readonly nodeFlags?: readonly string[];
  /** Called every `everyMs` while the child runs. */
  readonly onProgress?: { readonly everyMs: number; readonly call: (pid: number, elapsedMs: number, memory: RssSamples) => void };
}

const cpuOf = (pid: number): number | undefined => {
  try {
    return processCpuSeconds(pid, TICKS);
  } catch {
    return undefined;
  }
};

export async function timedRun(script: string, args: readonly string[], options: TimedRunOptions): Promise<TimedRun> {
  const serverBefore = cpuOf(options.serverPid) ?? NaN;
  const start = performance.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${script}`);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
  const rss = sampleRss(pid, options.sampleMs);
  let cpuSeconds = 0;
  const cpuTimer = setInterval(() => (cpuSeconds = cpuOf(pid) ?? cpuSeconds), options.sampleMs);
  const progress = options.onProgress;
  const progressTimer = progress === undefined ? undefined : setInterval(() => progress.call(pid, performance.now() - start, rss.current()), progress.everyMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(-1));
    child.once("close", (code) => resolve(code));
  });
  const wallMs = performance.now() - start;
  clearInterval(cpuTimer);
  clearInterval(progressTimer);
  running.delete(child);
  const memory = rss.stop();
  const serverCpuSeconds = (cpuOf(options.serverPid) ?? NaN) - serverBefore;
  return { exitCode, wallMs, stdout, stderrTail: stderr, cpuSeconds, serverCpuSeconds, memory };
}

/** SIGTERM to every client still running (for SIGINT or SIGTERM of the benchmark). */
export function stopClients(): void {
  for (const child of running) child.kill("SIGTERM");
}
