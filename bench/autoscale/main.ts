// `npm run bench:autoscale`: the scale-to-zero activator's data plane (src/activator/) in front
// of a real MLServer serving an iris model trained in the run, on 127.0.0.1 (docs/benchmarks.md):
// cold-start added latency against a direct request sent the instant the pod is ready, the
// activator's cost when a pod is ready, and a step of load at zero with no request lost.
// Progress on stderr, tables on stdout, results in bench/results/autoscale-<date>.json.
import { benchOptions, exitWith } from "../common/command-line.ts";
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { stopAllChildren } from "../agent/child-process.ts";
import { createProgress } from "../agent/progress.ts";
import { describeBaseMachine, packageVersion } from "../common/machine.ts";
import { coldStartRound, type ColdStartRound } from "./cold-start.ts";
import { summariseColdStarts, type ColdStartSummary } from "./cold-summary.ts";
import { parseFlags, USAGE } from "./flags.ts";
import { trainIris } from "./iris-model.ts";
import { warmUp, type WarmUp } from "./warm-up.ts";
import { spread } from "./stats.ts";
import { runSteady, type SteadyResult } from "./steady.ts";
import { runStep, type StepResult } from "./step.ts";
import { coldStartTable, steadyTable, stepTable } from "./table.ts";
import { stopOnSignals } from "../common/stop-on-signals.ts";

async function main(argv: readonly string[]): Promise<number> {
  const parsed = benchOptions(parseFlags, argv, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const o = parsed.options;
  const progress = createProgress();
  const machine = { ...describeBaseMachine(), undici: packageVersion("undici") };
  progress(`Machine: ${machine.cores} cores (${machine.cpu}), Node.js ${machine.node}, load average ${machine.loadAverage.join(" ")}`);
  progress(`Planned: ${o.parts.join(", ")}; ${o.rounds} cold starts of ${o.clients} held requests; ${o.steadyRounds} steady rounds of 2 × ${o.duration} s; a step of ${o.stepClients} clients; backend: ${o.agent ? "MDO agent in front of MLServer" : "MLServer alone"}`);
  const repo = await trainIris(progress);
  progress(`Trained the iris model into ${repo.dir} (MLServer ${repo.mlserver}, scikit-learn ${repo.trained.sklearn}, test accuracy ${repo.trained.testAccuracy})`);
  const tables: string[] = [];
  /** The machine is shared: its 1-minute load average when each part began and when the run ended. */
  const load: Record<string, number> = {};
  const noteLoad = (when: string): void => {
    load[when] = Math.round((loadavg()[0] ?? NaN) * 100) / 100;
  };
  let cold: { warmUp: WarmUp; rounds: ColdStartRound[]; summary: ColdStartSummary } | undefined;
  let steady: SteadyResult | undefined;
  let step: StepResult | undefined;
  try {
    if (o.parts.includes("cold")) {
      noteLoad("cold");
      const warm = await warmUp(repo, o.clients);
      progress(`Warm-up cold start against the model-server stand-in (not counted): statuses ${[...new Set(warm.statuses)].join(", ")}, last held request forwarded ${warm.lastForwardedMs.toFixed(1)} ms and answered ${warm.lastAnswerMs.toFixed(1)} ms after the ready instant`);
      const rounds: ColdStartRound[] = [];
      for (let round = 1; round <= o.rounds; round++) {
        const r = await coldStartRound(repo, round, { clients: o.clients, pollMs: o.pollMs, agent: o.agent });
        rounds.push(r);
        const added = spread(r.held.map((h) => h.addedMs));
        progress(`Cold start ${round}/${o.rounds}: t_ready ${Math.round(r.demandToReadyMs)} ms (model ready ${Math.round(r.demandToModelReadyMs)} ms), direct ${r.directMs.toFixed(1)} ms, held added p50 ${added.p50.toFixed(1)} ms, max ${added.max.toFixed(1)} ms, held at ready ${r.heldAtReady}, lost ${r.lost}`);
      }
      cold = { warmUp: warm, rounds, summary: summariseColdStarts(rounds, o.clients) };
      tables.push(coldStartTable(cold.summary));
    }
    if (o.parts.includes("steady")) {
      noteLoad("steady");
      steady = await runSteady(repo, { rounds: o.steadyRounds, connections: o.connections, duration: o.duration, agent: o.agent }, progress);
      tables.push(steadyTable(steady, o.connections, o.duration));
    }
    if (o.parts.includes("step")) {
      noteLoad("step");
      progress(`Step: ${o.stepClients} clients at once against zero pods`);
      step = await runStep(repo, { clients: o.stepClients, duration: o.stepDuration, pollMs: o.pollMs, agent: o.agent });
      progress(`Step: ${step.requests} requests, lost ${step.lost}, first answer ${Math.round(step.stepToFirstAnswerMs)} ms after the step`);
      tables.push(stepTable(step, o.stepDuration));
    }
  } finally {
    await repo.remove();
  }
  noteLoad("end");
  progress(`Load average (1 min) when each part began and at the end: ${Object.entries(load).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(`\n${tables.join("\n\n")}\n`);
  const date = new Date().toISOString();
  const out = resolve(o.out ?? join(import.meta.dirname, "../results", `autoscale-${date.slice(0, 10)}.json`));
  await mkdir(dirname(out), { recursive: true });
  const command = `npm run bench:autoscale${argv.length === 0 ? "" : ` -- ${argv.join(" ")}`}`;
  const model = { mlserver: repo.mlserver, ...repo.trained, served: repo.expected.served };
  await writeFile(out, `${JSON.stringify({ date, command, machine, loadAverage1m: load, options: o, model, coldStart: cold, steady, step }, null, 2)}\n`);
  progress(`Wrote ${out}`);
  const failed = cold?.summary.verdict === "FAIL" || (step !== undefined && step.lost > 0) || (steady !== undefined && steady.errors > 0);
  return failed ? 1 : 0;
}

// The activator process is stopped here; the pods' process groups by the reaper watching this
// process (iris-model.ts).
stopOnSignals(stopAllChildren);
exitWith(main(process.argv.slice(2)));
