// Open-loop constant-rate load: request i is due at start + i / rate and is sent then, whether or
// not earlier requests have been answered, and its latency counts from that due time. A stalled
// target therefore shows up as latency of every request due during the stall (no coordinated
// omission). Timers fire at most once a millisecond, so requests go out in small bursts; the
// lateness this adds is recorded as `sendLag` and is the same for every target.
import { LatencyRecorder } from "./latency.ts";
import type { LoadResult } from "./load-spec.ts";
import type { InferSender } from "./sender.ts";

export interface OpenLoopOptions {
  readonly rate: number;
  readonly warmupS: number;
  readonly durationS: number;
  /** Called once, when the first measured request is sent. */
  readonly onMeasuring: () => void;
}

export function runOpenLoop(sender: InferSender, options: OpenLoopOptions): Promise<LoadResult> {
  const { rate, warmupS, durationS, onMeasuring } = options;
  const intervalMs = 1000 / rate;
  const warmup = Math.round(rate * warmupS);
  const total = warmup + Math.round(rate * durationS);
  const latency = new LatencyRecorder();
  const sendLag = new LatencyRecorder();
  const start = performance.now() + 20;
  let measureStart = 0;
  let lastAnswer = 0;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let sent = 0;
  let outstanding = 0;
  let ok = 0;
  let errors = 0;

  return new Promise((resolve) => {
    const finishIfDone = (): void => {
      if (sent < total || outstanding > 0) return;
      const wallS = (lastAnswer - measureStart) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      resolve({
        ok,
        errors,
        firstError: sender.firstError,
        achievedRps: ok / wallS,
        latency: latency.summary(),
        sendLag: sendLag.summary(),
        generatorCpuCores: (cpu.user + cpu.system) / 1e6 / wallS,
      });
    };
    const fire = (i: number, due: number, now: number): void => {
      const measured = i >= warmup;
      if (i === warmup) {
        measureStart = due;
        cpuStart = process.cpuUsage();
        onMeasuring();
      }
      if (measured) sendLag.record(now - due);
      outstanding++;
      void sender.send(i).then((answered) => {
        outstanding--;
        if (measured) {
          lastAnswer = performance.now();
          latency.record(lastAnswer - due);
          if (answered) ok++;
          else errors++;
        }
        finishIfDone();
      });
    };
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        fire(sent, start + sent * intervalMs, now);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
      else finishIfDone();
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
}
