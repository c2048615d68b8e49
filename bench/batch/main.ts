// `npm run bench:batch`: `mdo batch run` (src/batch/) against one real MLServer serving models
// trained in the run, on 127.0.0.1 (docs/benchmarks.md): rows per second against a minimal direct
// client with the same batch size and concurrency, in turns on the same file; and the worker's
// resident set while it streams a 1 GiB input. Progress on stderr, tables on stdout, results in
// bench/results/batch-<date>.json.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { benchOptions, exitWith } from "../common/command-line.ts";
import { describeBaseMachine, packageVersion } from "../common/machine.ts";
import { createProgress } from "../agent/progress.ts";
import { describeCommand, type ClientJob } from "./clients.ts";
import { parseFlags, USAGE } from "./flags.ts";
import { writeIrisInput, writeWideInput } from "./input-file.ts";
import { judgeMemory, memoryRun, type MemoryResult, type MemoryRun } from "./memory.ts";
import { compileOperator } from "../operator/compiled.ts";
import { WORKER_NODE_OPTIONS } from "../../src/controllers/batchprediction/job.ts";
import { IRIS, startModelServer, WIDE } from "./model-server.ts";
import { memoryTable, throughputTable } from "./table.ts";
import { runThroughput, type ThroughputResult } from "./throughput.ts";
import { sourceState } from "./source-state.ts";
import { stopClients } from "./timed-run.ts";
import { stopOnSignals } from "../common/stop-on-signals.ts";

async function main(argv: readonly string[]): Promise<number> {
  const parsed = benchOptions(parseFlags, argv, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const o = parsed.options;
  const began = performance.now();
  const progress = createProgress();
  const machine = { ...describeBaseMachine(), undici: packageVersion("undici") };
  const source = sourceState();
  progress(`Machine: ${machine.cores} cores (${machine.cpu}), Node.js ${machine.node}, load average ${machine.loadAverage.join(" ")}`);
  const plan = [
    o.parts.includes("throughput") ? `${o.rows} iris rows × (1 warm-up + ${o.rounds} rounds of the direct client and mdo batch run)` : "",
    o.parts.includes("memory") ? `${o.memoryGiB} GiB of ${o.features}-feature rows through the worker, the direct client${o.tunedNodeFlags.length > 0 ? ` and the worker with ${o.tunedNodeFlags.join(" ")}` : ""}` : "",
  ].filter((p) => p !== "");
  progress(`Planned: ${plan.join("; ")}; batch size ${o.batchSize}, concurrency ${o.concurrency}`);
  const withMemory = o.parts.includes("memory");
  const server = await startModelServer(withMemory ? o.features : undefined, progress);
  progress(`MLServer ${server.versions.mlserver} (pid ${server.pid}) at ${server.url}: iris (test accuracy ${server.iris.testAccuracy})${server.wide === undefined ? "" : `, wide (${server.wide.features} features, test accuracy ${server.wide.testAccuracy})`}; scikit-learn ${server.versions.sklearn}; dir ${server.dir}`);
  const load: Record<string, number> = {};
  const noteLoad = (when: string): void => {
    load[when] = Math.round((loadavg()[0] ?? NaN) * 100) / 100;
  };
  const tables: string[] = [];
  const commands: Record<string, string> = {};
  let throughput: ThroughputResult | undefined;
  let memory: MemoryResult | undefined;
  // The worker as a BatchPrediction's pod runs it: compiled to JavaScript (as in the image), with the Job's NODE_OPTIONS.
  const compiled = await compileOperator();
  const podFlags = WORKER_NODE_OPTIONS.split(" ");
  progress(`Worker compiled to ${compiled.script}; it runs with ${WORKER_NODE_OPTIONS}`);
  try {
    const data = join(server.dir, "data");
    await mkdir(data);
    if (o.parts.includes("throughput")) {
      noteLoad("throughput");
      const input = await writeIrisInput(join(data, "iris.jsonl"), o.rows, server.iris.expected.rows);
      progress(`Throughput input: ${input.rows} rows, ${(input.bytes / 1e6).toFixed(1)} MB`);
      const job: ClientJob = { input: input.path, modelUrl: server.url, modelName: IRIS, batchSize: o.batchSize, concurrency: o.concurrency };
      commands.worker = describeCommand("worker", job);
      commands.direct = describeCommand("direct", job);
      throughput = await runThroughput(data, input, job, { rounds: o.rounds, sampleMs: o.sampleMs, serverPid: server.pid, served: server.iris.expected.served, worker: { script: compiled.script, nodeFlags: podFlags } }, progress);
      await rm(input.path, { force: true });
      tables.push(throughputTable(throughput, o.batchSize, o.concurrency));
    }
    if (withMemory) {
      noteLoad("memory");
      const input = await writeWideInput(join(data, "wide.jsonl"), o.features, Math.ceil(o.memoryGiB * 2 ** 30), progress);
      progress(`Memory input: ${input.rows} rows of ${o.features} features, ${input.bytes} bytes (${(input.bytes / 2 ** 30).toFixed(3)} GiB)`);
      const job: ClientJob = { input: input.path, modelUrl: server.url, modelName: WIDE, batchSize: o.batchSize, concurrency: o.concurrency };
      commands.memory = describeCommand("worker", job);
      const runs: MemoryRun[] = [];
      const common = { sampleMs: o.sampleMs, serverPid: server.pid };
      try {
        runs.push(await memoryRun(data, input, job, { ...common, label: `\`mdo batch run\` as in its pod (compiled, NODE_OPTIONS ${WORKER_NODE_OPTIONS})`, client: "worker", nodeFlags: podFlags, script: compiled.script }, progress));
        commands.memoryDirect = describeCommand("direct", job);
        runs.push(await memoryRun(data, input, job, { ...common, label: "direct client (reference)", client: "direct", nodeFlags: [] }, progress));
        runs.push(await memoryRun(data, input, job, { ...common, label: "`mdo batch run` from source, V8's default heap (reference)", client: "worker", nodeFlags: [] }, progress));
        if (o.tunedNodeFlags.length > 0) {
          runs.push(await memoryRun(data, input, job, { ...common, label: `\`mdo batch run\`, node ${o.tunedNodeFlags.join(" ")} (reference)`, client: "worker", nodeFlags: o.tunedNodeFlags }, progress));
        }
      } finally {
        await rm(input.path, { force: true });
        progress("Memory input deleted");
      }
      memory = judgeMemory({ rows: input.rows, bytes: input.bytes, features: o.features }, runs);
      tables.push(memoryTable(memory, o.batchSize, o.concurrency));
    }
  } finally {
    await compiled.remove();
    await server.remove();
  }
  noteLoad("end");
  const wallSeconds = Math.round((performance.now() - began) / 1000);
  progress(`Load average (1 min) when each part began and at the end: ${Object.entries(load).map(([k, v]) => `${k} ${v}`).join(", ")}; the benchmark took ${wallSeconds} s`);
  console.log(`\n${tables.join("\n\n")}\n`);
  const date = new Date().toISOString();
  const out = resolve(o.out ?? join(import.meta.dirname, "../results", `batch-${date.slice(0, 10)}.json`));
  await mkdir(dirname(out), { recursive: true });
  const command = `npm run bench:batch${argv.length === 0 ? "" : ` -- ${argv.join(" ")}`}`;
  const model = { ...server.versions, iris: { testAccuracy: server.iris.testAccuracy, served: server.iris.expected.served }, wide: server.wide };
  await writeFile(out, `${JSON.stringify({ date, command, wallSeconds, machine, loadAverage1m: load, options: o, source, model, commands, throughput, memory }, null, 2)}\n`);
  progress(`Wrote ${out}`);
  return throughput?.verdict === "FAIL" || memory?.verdict === "FAIL" ? 1 : 0;
}

// The clients are stopped here; MLServer's process group by the reaper watching this process
// (model-server.ts).
stopOnSignals(stopClients);
exitWith(main(process.argv.slice(2)));
