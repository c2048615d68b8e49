// Closed-loop saturation load: `connections` callers, each sending its next request as soon as
// its last one is answered. Throughput is the answers that arrived inside the measured window;
// latency (from each send) is recorded for requests sent inside it.
import { LatencyRecorder } from "./latency.ts";
import type { LoadResult } from "./load-spec.ts";

/** What the callers send through: the agent benchmark's InferSender, or any sender of this shape. */
export interface RequestSender {
  /** Sends request number `i`; resolves true if it was answered correctly, never rejects. */
  send(i: number): Promise<boolean>;
  /** The first failure, for the report. */
  readonly firstError: string | undefined;
}

export interface ClosedLoopOptions {
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  /** Called once, when the measured window opens. */
  readonly onMeasuring: () => void;
}

export async function runClosedLoop(sender: RequestSender, options: ClosedLoopOptions): Promise<LoadResult> {
  const { connections, warmupS, durationS, onMeasuring } = options;
  const latency = new LatencyRecorder();
  const measureStart = performance.now() + warmupS * 1000;
  const end = measureStart + durationS * 1000;
  let cpuStart: NodeJS.CpuUsage | undefined;
  const opened = setTimeout(() => {
    cpuStart = process.cpuUsage();
    onMeasuring();
  }, Math.max(0, measureStart - performance.now()));
  let ok = 0;
  let errors = 0;

  const caller = async (first: number): Promise<void> => {
    for (let i = first; performance.now() < end; i += connections) {
      const sentAt = performance.now();
      const answered = await sender.send(i);
      const at = performance.now();
      if (sentAt >= measureStart) latency.record(at - sentAt);
      if (at < measureStart || at > end) continue;
      if (answered) ok++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, c) => caller(c)));
  clearTimeout(opened);
  const cpu = process.cpuUsage(cpuStart);
  return {
    ok,
    errors,
    firstError: sender.firstError,
    achievedRps: ok / durationS,
    latency: latency.summary(),
    sendLag: undefined,
    generatorCpuCores: (cpu.user + cpu.system) / 1e6 / durationS,
  };
}
