// The resident set of a running process, polled from /proc/<pid>/status: every VmRSS sample (for
// percentiles and a timeline) and the highest VmHWM, the kernel's own high-water mark, which also
// catches a peak between two polls. And how much the process has read (/proc/<pid>/io), for
// progress lines.
import { readFileSync } from "node:fs";
import { readMemory } from "../fetch/proc-sample.ts";

export interface RssSample {
  /** ms since the sampler started. */
  readonly t: number;
  readonly rssBytes: number;
}

export interface RssSamples {
  readonly samples: readonly RssSample[];
  readonly peakRssBytes: number;
  readonly hwmBytes: number;
}

export interface RssSampler {
  /** Samples so far. */
  current(): RssSamples;
  /** Stops polling (one last read first). */
  stop(): RssSamples;
}

export function sampleRss(pid: number, intervalMs: number): RssSampler {
  const start = performance.now();
  const samples: RssSample[] = [];
  let hwmBytes = 0;
  let peakRssBytes = 0;
  const poll = (): void => {
    const memory = readMemory(pid);
    if (memory === undefined) return;
    samples.push({ t: Math.round(performance.now() - start), rssBytes: memory.rss });
    hwmBytes = Math.max(hwmBytes, memory.hwm);
    peakRssBytes = Math.max(peakRssBytes, memory.rss);
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  const current = (): RssSamples => ({ samples, peakRssBytes, hwmBytes });
  return {
    current,
    stop: () => {
      clearInterval(timer);
      poll();
      return current();
    },
  };
}

/**
 * Bytes `pid` has read so far (rchar of /proc/<pid>/io: every read(2), its input file's and, a
 * little, its sockets'), or undefined once it has ended. The worker reads its input with pread at
 * explicit positions, so the descriptor's own offset stays 0 and cannot serve.
 */
export function bytesRead(pid: number): number | undefined {
  try {
    const rchar = /^rchar:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
    return rchar === null ? undefined : Number(rchar[1]);
  } catch {
    return undefined;
  }
}
