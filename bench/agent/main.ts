// `npm run bench:agent`: the MDO agent's latency, throughput and CPU against the model server
// directly, a bare Node.js proxy and nginx (a reference), in one run on 127.0.0.1, judged
// against the agent's targets (verdicts.ts; docs/benchmarks.md).
//
// A model-server stand-in and every target (direct, agent, agent with drift on, bare proxy,
// mirroring agent, nginx) run as their own processes for the whole run; a load generator process
// measures the targets in turn at each open-loop rate and then in saturation rounds (plan.ts).
// Prints progress on stderr, the tables on stdout, and writes everything to
// bench/results/agent-<date>.json.
import { benchOptions, exitWith } from "../common/command-line.ts";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { stopAllChildren } from "./child-process.ts";
import { parseFlags, plannedSeconds, USAGE } from "./flags.ts";
import { describeMachine } from "./machine.ts";
import type { RunResult } from "./measure.ts";
import { ensureNginx } from "./nginx-install.ts";
import { clockTicksPerSecond } from "./proc-cpu.ts";
import { createProgress } from "./progress.ts";
import { buildReport } from "./report.ts";
import { runPlan } from "./plan.ts";
import { startTarget } from "./start-target.ts";
import type { RunningTarget } from "./target.ts";
import { conditionsTable, reportTables } from "./table.ts";
import { startUpstream } from "./upstream.ts";

async function main(argv: readonly string[]): Promise<number> {
  const parsed = benchOptions(parseFlags, argv, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const options = parsed.options;
  const progress = createProgress();
  progress(`Planned: ${options.targets.join(", ")} at ${options.rates.join(", ")} rps and saturation; about ${Math.round(plannedSeconds(options))} s of load`);
  const nginx = options.targets.includes("nginx") ? ensureNginx(progress) : undefined;
  const machine = describeMachine(nginx?.version);
  progress(`Machine: ${machine.cores} cores (${machine.cpu}), Node.js ${machine.node}, ${nginx?.version ?? "no nginx"}, load average ${machine.loadAverage.join(" ")}`);
  const ticks = clockTicksPerSecond();
  const workDir = await mkdtemp(join(tmpdir(), "mdo-bench-agent-"));
  let runs: RunResult[];
  const inspections: Record<string, Record<string, unknown>> = {};
  const targets: RunningTarget[] = [];
  const upstream = await startUpstream();
  try {
    progress(`Started the model-server stand-in on ${upstream.origin} (pid ${upstream.process.pid})`);
    for (const name of options.targets) {
      const target = await startTarget(name, { upstream, workDir, options, nginxBinary: nginx?.path });
      targets.push(target);
      progress(`Started ${name} on ${target.origin} (proxy pids: ${target.proxyPids().join(", ") || "none"})`);
    }
    runs = await runPlan(targets, upstream.process.pid, options, ticks, progress);
    for (const target of targets) inspections[target.name] = await target.inspect();
  } finally {
    for (const target of targets) await target.stop();
    await upstream.process.stop();
    await rm(workDir, { recursive: true, force: true });
  }
  const report = buildReport(runs);
  console.log(`\n${reportTables(report)}\n\nRun conditions:\n\n${conditionsTable(runs)}\n`);
  const out = resolve(options.out ?? join(import.meta.dirname, "../results", `agent-${new Date().toISOString().slice(0, 10)}.json`));
  await mkdir(dirname(out), { recursive: true });
  const command = `npm run bench:agent${argv.length === 0 ? "" : ` -- ${argv.join(" ")}`}`;
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), command, machine, options, report, inspections, runs }, null, 2)}\n`);
  progress(`Wrote ${out}`);
  return report.verdicts.some((v) => v.outcome === "FAIL") ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
    stopAllChildren();
    process.exitCode = 130;
  });
}
exitWith(main(process.argv.slice(2)));
