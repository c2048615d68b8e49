// The order of the measurements. Every target is running throughout, and the targets take turns:
// each open-loop rate goes through all targets, then each saturation round does. Slow changes in
// the machine's other load (other people's tests, say) thus spread over all targets instead of
// landing on one, and saturation, the noisiest measurement, is repeated.
import type { BenchOptions } from "./flags.ts";
import type { LoadSpec } from "./load-spec.ts";
import { measureRun, type RunResult } from "./measure.ts";
import type { Progress } from "./progress.ts";
import { INFER_PATH } from "./synthetic.ts";
import type { RunningTarget } from "./target.ts";

/** Connections of the open-loop generator's pool: far more than a few ms of latency at 1000 rps needs. */
const OPEN_LOOP_CONNECTIONS = 64;

function describe(run: RunResult): string {
  const { latency, errors, achievedRps } = run.load;
  const cpu = run.proxyCpuPer1000 === null ? "" : `, proxy CPU ${run.proxyCpuPer1000.toFixed(4)} s/1000 req`;
  return `${Math.round(achievedRps)} answers/s, p50 ${latency.p50.toFixed(3)} ms, p99 ${latency.p99.toFixed(3)} ms, max ${latency.max.toFixed(3)} ms, ` +
    `${errors} errors${cpu}, other processes ${run.otherCores.toFixed(2)} cores`;
}

export async function runPlan(targets: readonly RunningTarget[], upstreamPid: number, options: BenchOptions, ticks: number, progress: Progress): Promise<RunResult[]> {
  const runs: RunResult[] = [];
  const run = async (target: RunningTarget, spec: LoadSpec, what: string, round: number): Promise<void> => {
    progress(`${target.name}: ${what}…`);
    const result = { ...(await measureRun(spec, target, upstreamPid, ticks)), round };
    progress(`${target.name}: ${what} → ${describe(result)}`);
    runs.push(result);
  };
  for (let round = 1; round <= options.latencyRounds; round++) {
    for (const rate of options.rates) {
      for (const target of targets) {
        const spec: LoadSpec = { mode: "open", origin: target.origin, path: INFER_PATH, rate, connections: OPEN_LOOP_CONNECTIONS, warmupS: options.warmupS, durationS: options.durationS };
        await run(target, spec, `${rate} rps open loop, round ${round}/${options.latencyRounds}, ${options.warmupS} s warm-up + ${options.durationS} s`, round);
      }
    }
  }
  for (let round = 1; options.saturationS > 0 && round <= options.saturationRounds; round++) {
    for (const target of targets) {
      const spec: LoadSpec = {
        mode: "closed", origin: target.origin, path: INFER_PATH, connections: options.connections, warmupS: Math.min(2, options.warmupS), durationS: options.saturationS,
      };
      await run(target, spec, `saturation round ${round}/${options.saturationRounds}, ${options.connections} callers, ${options.saturationS} s`, round);
    }
  }
  return runs;
}
