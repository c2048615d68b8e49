// The activator out of the way: with a ready pod, closed-loop load through the activator (its own
// process, the backend ready from the start) against the same pod called directly, in
// interleaved rounds (direct first in even rounds, the activator first in odd ones), so each
// round's pair ran under nearly the same conditions. Per round: the throughput ratio, the added
// p50/p99 latency, and the activator process's CPU per request.
import { join } from "node:path";
import { nodeChild, type Child } from "../agent/child-process.ts";
import { runClosedLoop } from "../agent/closed-loop.ts";
import type { LoadResult } from "../agent/load-spec.ts";
import { clockTicksPerSecond, processCpuSeconds } from "../agent/proc-cpu.ts";
import type { Progress } from "../agent/progress.ts";
import { pairedRatio, type RatioRange } from "../agent/ratio.ts";
import { median } from "../agent/judge.ts";
import { TARGET_HOST } from "./activator-host.ts";
import { InferClient } from "./client.ts";
import type { IrisRepository } from "./iris-model.ts";
import { startPod } from "./pod.ts";
import { pollUntilReady } from "./ready-poll.ts";
import { round3 } from "./stats.ts";

export interface SteadyOptions {
  readonly rounds: number;
  readonly connections: number;
  readonly duration: number;
  readonly agent: boolean;
}

export interface SteadyRun {
  readonly round: number;
  readonly via: "direct" | "activator";
  readonly load: LoadResult;
  /** The activator process's CPU (user + system) per 1000 answered requests, CPU-seconds. */
  readonly activatorCpuPer1000: number | null;
  /** The same for the pod's agent (a proxy handling the same requests: the yardstick), when there is one. */
  readonly agentCpuPer1000: number | null;
}

export interface SteadyResult {
  readonly runs: readonly SteadyRun[];
  /** Activator requests/s over direct requests/s, per round and their median. */
  readonly throughputRatio: RatioRange | undefined;
  /** Activator minus direct, per round, ms; and the medians. */
  readonly addedP50PerRound: readonly number[];
  readonly addedP99PerRound: readonly number[];
  readonly addedP50: number;
  readonly addedP99: number;
  readonly activatorCpuPer1000: number;
  /** The agent's CPU per 1000 requests in the activator's runs (median); null without the agent. */
  readonly agentCpuPer1000: number | null;
  readonly errors: number;
}

const WARMUP_S = 1;

export async function runSteady(repo: IrisRepository, options: SteadyOptions, progress: Progress): Promise<SteadyResult> {
  const pod = await startPod(repo, options.agent, "steady");
  let activator: Child | undefined;
  const runs: SteadyRun[] = [];
  try {
    await pollUntilReady(pod.backendReadyUrl, { periodMs: 50, timeoutMs: 120_000, abandon: pod.exited });
    activator = nodeChild("activator", join(import.meta.dirname, "activator-process.ts"), [pod.backendUrl]);
    const line = await activator.nextJson(15_000);
    const port = typeof line === "object" && line !== null && "port" in line ? Number(line.port) : NaN;
    if (!Number.isInteger(port)) throw new Error(`The activator process printed no port: ${JSON.stringify(line)}`);
    const ticks = clockTicksPerSecond();
    const targets = {
      direct: () => new InferClient(pod.backendUrl, repo, { connections: options.connections }),
      activator: () => new InferClient(`http://127.0.0.1:${port}`, repo, { connections: options.connections, host: TARGET_HOST }),
    };
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? (["direct", "activator"] as const) : (["activator", "direct"] as const);
      for (const via of order) {
        const client = targets[via]();
        const sender = new SenderAdapter(client);
        const activatorCpu = cpuMeter(via === "activator" ? activator.pid : undefined, ticks);
        const agentCpu = cpuMeter(options.agent ? pod.pids[1] : undefined, ticks);
        const load = await runClosedLoop(sender, {
          connections: options.connections,
          warmupS: WARMUP_S,
          durationS: options.duration,
          onMeasuring: () => {
            activatorCpu.start();
            agentCpu.start();
          },
        });
        await client.close();
        runs.push({ round, via, load, activatorCpuPer1000: activatorCpu.per1000(load.ok), agentCpuPer1000: agentCpu.per1000(load.ok) });
        progress(`Steady round ${round}/${options.rounds}, ${via}: ${Math.round(load.achievedRps)} requests/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${load.errors} errors${load.firstError === undefined ? "" : ` (first: ${load.firstError})`}`);
      }
    }
  } finally {
    await activator?.stop();
    await pod.stop();
  }
  return summarise(runs);
}

function summarise(runs: readonly SteadyRun[]): SteadyResult {
  const of = (via: SteadyRun["via"]): SteadyRun[] => runs.filter((r) => r.via === via).sort((a, b) => a.round - b.round);
  const direct = of("direct");
  const activator = of("activator");
  const addedP50PerRound = activator.map((a, i) => round3(a.load.latency.p50 - direct[i]!.load.latency.p50));
  const addedP99PerRound = activator.map((a, i) => round3(a.load.latency.p99 - direct[i]!.load.latency.p99));
  return {
    runs,
    throughputRatio: pairedRatio(activator.map((r) => r.load.achievedRps), direct.map((r) => r.load.achievedRps)),
    addedP50PerRound,
    addedP99PerRound,
    addedP50: round3(median(addedP50PerRound)),
    addedP99: round3(median(addedP99PerRound)),
    activatorCpuPer1000: round3(median(activator.map((r) => r.activatorCpuPer1000 ?? NaN))),
    agentCpuPer1000: activator.some((r) => r.agentCpuPer1000 === null) ? null : round3(median(activator.map((r) => r.agentCpuPer1000!))),
    errors: runs.reduce((n, r) => n + r.load.errors, 0),
  };
}

/** A process's CPU seconds from start() to per1000(), per 1000 requests; null without a pid. */
function cpuMeter(pid: number | undefined, ticks: number): { start(): void; per1000(requests: number): number | null } {
  let started = 0;
  return {
    start: () => {
      if (pid !== undefined) started = processCpuSeconds(pid, ticks);
    },
    per1000: (requests) => (pid === undefined || requests === 0 ? null : round3(((processCpuSeconds(pid, ticks) - started) / requests) * 1000)),
  };
}

/** runClosedLoop's sender: true when the answer was 200 with the model's predictions. */
class SenderAdapter {
  private readonly client: InferClient;
  firstError: string | undefined;

  constructor(client: InferClient) {
    this.client = client;
  }

  async send(): Promise<boolean> {
    const answer = await this.client.infer();
    if (!answer.correct) this.firstError ??= answer.error;
    return answer.correct;
  }
}
