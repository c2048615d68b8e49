// What a finished test run must not leave behind, found by command line, and the end of a log.
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";

/**
 * Pids of processes (other than this one and reapers) with an argument containing one of
 * `fragments` — test servers name their own temporary directory on their command line.
 */
export function processesNaming(fragments: readonly string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline.includes("mdo-reaper")) continue;
      if (cmdline.some((arg) => fragments.some((f) => arg.includes(f)))) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** The last `lines` lines of a log file, or "(no log)". */
export async function logTail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, "utf8")).split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
