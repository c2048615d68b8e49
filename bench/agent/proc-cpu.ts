// CPU time of processes from /proc/<pid>/stat (Linux): user + system time of all their threads.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's utime and stime (CLK_TCK), from getconf; 100 if it fails. */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds in user space and in the kernel. */
export interface CpuTime {
  readonly user: number;
  readonly system: number;
}

/** utime and stime of `pid` in seconds (fields 14 and 15 of proc(5), counted from 1). */
export function processCpu(pid: number, ticksPerSecond: number): CpuTime {
  const fields = statFields(pid);
  return { user: Number(fields[11]) / ticksPerSecond, system: Number(fields[12]) / ticksPerSecond };
}

/** utime + stime of `pid` in seconds. */
export function processCpuSeconds(pid: number, ticksPerSecond: number): number {
  const { user, system } = processCpu(pid, ticksPerSecond);
  return user + system;
}

/** CPU time of all `pids` together. */
export function cpuTime(pids: readonly number[], ticksPerSecond: number): CpuTime {
  return pids.map((pid) => processCpu(pid, ticksPerSecond)).reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system }), { user: 0, system: 0 });
}

/** Processes whose parent is `ppid` (nginx's workers, say). */
export function childPids(ppid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(Number(entry))[1]) === ppid) pids.push(Number(entry));
    } catch {
      // the process ended while /proc was being read
    }
  }
  return pids;
}

/** CPU seconds of every process now running, by pid. */
export function allProcessesCpu(ticksPerSecond: number): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      seconds.set(Number(entry), processCpuSeconds(Number(entry), ticksPerSecond));
    } catch {
      // the process ended while /proc was being read
    }
  }
  return seconds;
}

/**
 * CPU seconds other processes used between two `allProcessesCpu` samples, leaving out `excluded`;
 * a process that started in between counts whole. A lower bound: what processes that ended in
 * between used since the first sample is lost.
 */
export function otherProcessesCpu(before: Map<number, number>, after: Map<number, number>, excluded: ReadonlySet<number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) {
    if (!excluded.has(pid)) sum += seconds - (before.get(pid) ?? 0);
  }
  return sum;
}
