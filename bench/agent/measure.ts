// One measured run: a load generator process against a target, with the CPU the proxy, the model
// server and every other process used between the generator's "measuring" and "done" events.
import { join } from "node:path";
import { nodeChild } from "./child-process.ts";
import type { LoadEvent, LoadResult, LoadSpec } from "./load-spec.ts";
import { allProcessesCpu, cpuTime, otherProcessesCpu, type CpuTime } from "./proc-cpu.ts";
import type { RunningTarget, TargetName } from "./target.ts";

export interface RunResult {
  readonly target: TargetName;
  readonly mode: LoadSpec["mode"];
  /** Requests per second offered (open loop); null for a saturation run. */
  readonly rate: number | null;
  readonly connections: number;
  readonly durationS: number;
  /** Which repetition of this target and load (saturation runs are repeated); 1 for the rest. */
  readonly round: number;
  readonly load: LoadResult;
  /** Wall seconds between the CPU samples. */
  readonly wallS: number;
  /** CPU seconds of the proxy (0 for direct), per 1000 requests answered: cores busy per 1000 rps. */
  readonly proxyCpuPer1000: number | null;
  /** The share of the proxy's CPU spent in the kernel (system time); null for direct. */
  readonly proxyKernelShare: number | null;
  /** The same for the model-server stand-in. */
  readonly upstreamCpuPer1000: number;
  /**
   * Cores other processes on the machine (not the benchmark's) used over the run: noise. A lower
   * bound, since processes that started or ended during the run are not counted.
   */
  readonly otherCores: number;
}

interface CpuSample {
  readonly at: number;
  readonly proxy: CpuTime;
  readonly upstream: CpuTime;
  readonly all: Map<number, number>;
}

function isEvent(value: unknown, event: LoadEvent["event"]): boolean {
  return typeof value === "object" && value !== null && "event" in value && value.event === event;
}

export async function measureRun(spec: LoadSpec, target: RunningTarget, upstreamPid: number, ticks: number): Promise<Omit<RunResult, "round">> {
  const sample = (): CpuSample => ({
    at: performance.now(),
    proxy: cpuTime(target.proxyPids(), ticks),
    upstream: cpuTime([upstreamPid], ticks),
    all: allProcessesCpu(ticks),
  });
  const generator = nodeChild(`load generator (${target.name})`, join(import.meta.dirname, "load-generator.ts"), [JSON.stringify(spec)]);
  try {
    const measuring = await generator.nextJson((spec.warmupS + 15) * 1000);
    if (!isEvent(measuring, "measuring")) throw new Error(`Unexpected load generator output: ${JSON.stringify(measuring)}`);
    const before = sample();
    const done = await generator.nextJson((spec.durationS + 30) * 1000);
    const after = sample();
    if (!isEvent(done, "done")) throw new Error(`Unexpected load generator output: ${JSON.stringify(done)}`);
    const load = (done as Extract<LoadEvent, { event: "done" }>).result;
    const wallS = (after.at - before.at) / 1000;
    const requests = load.ok + load.errors;
    const per1000 = (seconds: number): number => (requests === 0 ? NaN : (seconds / requests) * 1000);
    const proxySystem = after.proxy.system - before.proxy.system;
    const proxy = after.proxy.user - before.proxy.user + proxySystem;
    const upstream = after.upstream.user + after.upstream.system - before.upstream.user - before.upstream.system;
    const ours = new Set([process.pid, generator.pid, upstreamPid, ...target.proxyPids()]);
    return {
      target: target.name,
      mode: spec.mode,
      rate: spec.mode === "open" ? spec.rate : null,
      connections: spec.connections,
      durationS: spec.durationS,
      load,
      wallS,
      proxyCpuPer1000: target.name === "direct" ? null : per1000(proxy),
      proxyKernelShare: target.name === "direct" || proxy === 0 ? null : proxySystem / proxy,
      upstreamCpuPer1000: per1000(upstream),
      otherCores: otherProcessesCpu(before.all, after.all, ours) / wallS,
    };
  } finally {
    await generator.stop();
  }
}
