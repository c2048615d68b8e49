// `npm run bench:operator`: the operator at scale on a local kwok cluster (docs/benchmarks.md).
// In a fresh cluster each: the floor (the same children by a minimal client at the same QPS),
// then the operator (N ModelDeployments at once → all Ready, steady state, spec changes, a
// rollout of many). Progress on stderr, tables on stdout, results in bench/results/operator-<date>.json.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { loadConfig } from "../../src/operator/config.ts";
import { describeBaseMachine } from "../common/machine.ts";
import { createProgress } from "../agent/progress.ts";
import { startBenchCluster, CONTROL_PLANE_QPS } from "./cluster.ts";
import { runFloorPhase, type FloorPhase } from "./floor-phase.ts";
import { parseFlags, USAGE } from "./flags.ts";
import { runOperatorPhase } from "./operator-phase.ts";
import { operatorNodeFlags } from "./operator-flags.ts";
import { renderTables } from "./table.ts";
import { judge } from "./verdicts.ts";

async function main(argv: readonly string[]): Promise<number> {
  const defaults = loadConfig({}, {});
  let o;
  try {
    o = parseFlags(argv, { qps: defaults.qps, burst: defaults.burst, workers: defaults.workers });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (o === undefined) {
    console.log(USAGE);
    return 0;
  }
  const progress = createProgress();
  const machine = describeBaseMachine();
  const workDir = await mkdtemp(join(tmpdir(), "mdo-bench-operator-run-"));
  progress(`Planned: ${o.count} ModelDeployments at QPS ${o.qps}, burst ${o.burst}, ${o.workers} workers; ${o.skipFloor ? "no floor" : "the floor first"}; logs in ${workDir}`);
  const pods = o.count + o.changes + o.rollouts;
  let floor: FloorPhase | undefined;
  if (!o.skipFloor) {
    const cluster = await startBenchCluster("floor", pods, progress);
    try {
      floor = await runFloorPhase(cluster, o, progress);
    } finally {
      await cluster.stop();
    }
  }
  const cluster = await startBenchCluster("operator", pods, progress);
  let operator;
  try {
    operator = await runOperatorPhase(cluster, o, workDir, progress);
  } finally {
    await cluster.stop();
  }
  const verdicts = judge(operator, floor);
  const results = { date: new Date().toISOString(), options: o, machine, controlPlaneQps: CONTROL_PLANE_QPS, operatorNodeFlags: operatorNodeFlags(), floor, operator, verdicts };
  const out = o.out ?? resolve(import.meta.dirname, "../results", `operator-${results.date.slice(0, 10)}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderTables(operator, floor, verdicts));
  progress(`Results in ${out}`);
  return verdicts.every((v) => v.pass) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
