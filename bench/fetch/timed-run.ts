// One command run to completion as a child process: wall time from spawn to exit, its output,
// and its peak memory. The child runs detached in its own process group, recorded in the work
// directory's pid file, so the reaper ends it if the benchmark dies; an abort ends it at once.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import { sampleProcess, type ProcessSample } from "./proc-sample.ts";
import type { WorkDir } from "./work-dir.ts";

/** Most stdout and stderr characters kept (the tail). */
const OUTPUT_TAIL = 64_000;

export interface TimedRun {
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak memory and CPU time of the child (not of its own children). */
  readonly usage: ProcessSample;
}

export interface TimedRunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly workDir: WorkDir;
  readonly signal: AbortSignal;
}

export async function timedRun(command: string, args: readonly string[], options: TimedRunOptions): Promise<TimedRun> {
  options.signal.throwIfAborted();
  const started = performance.now();
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: options.env });
  const exited = new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
  });
  const pid = child.pid;
  if (pid === undefined) {
    const { error } = await exited;
    throw new Error(`Could not start ${command}: ${error?.message ?? "no pid"}`);
  }
  const sampler = sampleProcess(pid);
  await options.workDir.track(pid);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout = (stdout + d).slice(-OUTPUT_TAIL)));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-OUTPUT_TAIL)));
  const drained = Promise.all([once(child.stdout, "close"), once(child.stderr, "close")]);
  const abort = (): void => {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  options.signal.addEventListener("abort", abort, { once: true });
  const result = await exited;
  const wallMs = performance.now() - started;
  const usage = sampler.stop();
  options.signal.removeEventListener("abort", abort);
  await options.workDir.untrack(pid);
  // The last output may arrive after the exit event (a grandchild could hold the pipes: wait 2 s at most).
  await Promise.race([drained, sleep(2000)]);
  options.signal.throwIfAborted();
  if (result.error !== undefined) throw new Error(`${command} failed to run: ${result.error.message}`);
  return { wallMs, exitCode: result.code, exitSignal: result.signal, stdout, stderr, usage };
}

/** Throws with the command's output unless it exited 0. */
export function checkExit(what: string, run: TimedRun): void {
  if (run.exitCode === 0) return;
  const why = run.exitSignal === null ? `exit code ${String(run.exitCode)}` : `signal ${run.exitSignal}`;
  const tail = `${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-20).join("\n");
  throw new Error(`${what} failed (${why}):\n${tail}`);
}
