// Memory and CPU of a process from /proc (Linux), polled while it runs. VmHWM is the kernel's own
// high-water mark of the resident set, so polling it misses only what happens after the last poll
// (at most one interval before the process exits); CPU time (utime + stime of all threads, from
// /proc/<pid>/stat) likewise misses at most the last interval.
import { readFileSync, writeFileSync } from "node:fs";
import { clockTicksPerSecond, processCpuSeconds } from "../agent/proc-cpu.ts";

const TICKS = clockTicksPerSecond();

export interface ProcessSample {
  /** Highest VmHWM seen, bytes (0 if the process was never read). */
  readonly hwmBytes: number;
  /** Highest VmRSS sample, bytes. */
  readonly rssBytes: number;
  /** CPU seconds (user + system) between the first and the last read. */
  readonly cpuSeconds: number;
  /** CPU seconds the process had used at the last read, since it started. */
  readonly cpuSecondsTotal: number;
  readonly samples: number;
}

/** VmHWM and VmRSS of `pid` in bytes; undefined once it has ended (or is a zombie, which has neither). */
export function readMemory(pid: number): { hwm: number; rss: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kib = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  };
  const hwm = kib("VmHWM");
  const rss = kib("VmRSS");
  return hwm === undefined || rss === undefined ? undefined : { hwm, rss };
}

/**
 * Resets the process's VmHWM to its current RSS (`echo 5 > /proc/<pid>/clear_refs`), so a
 * long-running server's peak can be measured per download. False if the kernel refused.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Busy CPU seconds of the whole machine so far (every core; /proc/stat's first line less idle and iowait). */
export function machineBusySeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

export interface ProcessSampler {
  /** Stops polling and returns what was seen (one last read first). */
  stop(): ProcessSample;
}

/** Polls `pid` every `intervalMs` until stopped. */
export function sampleProcess(pid: number, intervalMs = 50): ProcessSampler {
  let hwmBytes = 0;
  let rssBytes = 0;
  let samples = 0;
  let firstCpu: number | undefined;
  let lastCpu = 0;
  const poll = (): void => {
    const memory = readMemory(pid);
    let cpu: number;
    try {
      cpu = processCpuSeconds(pid, TICKS);
    } catch {
      return;
    }
    if (memory === undefined) return;
    hwmBytes = Math.max(hwmBytes, memory.hwm);
    rssBytes = Math.max(rssBytes, memory.rss);
    firstCpu ??= cpu;
    lastCpu = cpu;
    samples++;
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      poll();
      return { hwmBytes, rssBytes, cpuSeconds: lastCpu - (firstCpu ?? lastCpu), cpuSecondsTotal: lastCpu, samples };
    },
  };
}
