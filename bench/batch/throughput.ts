// The throughput part: the direct client and `mdo batch run` score the same iris file against the
// same MLServer, in turns (one uncounted direct run first, to warm the server; then each round
// runs both, the order alternating between rounds so a trend in the machine's load does not
// favour one). Every run's outputs are checked (verify.ts) and deleted.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { clientCommand, type ClientJob, type ClientName } from "./clients.ts";
import type { InputFile } from "./input-file.ts";
import { median, round } from "./stats.ts";
import { timedRun } from "./timed-run.ts";
import { checkKnown, checkManifest, readPredictions, spotCheck, type SpotCheck } from "./verify.ts";

export const RATIO_TARGET = 0.9;
const SPOT_CHECK_ROWS = 1000;

export interface ThroughputRun {
  /** 0: the warm-up run, not counted. */
  readonly round: number;
  readonly client: ClientName;
  readonly wallMs: number;
  /** From opening the input to closing the outputs: the manifest's startedAt → finishedAt, the direct client's own count. */
  readonly innerMs: number;
  /** Rows per second over the wall time (process start to exit): what the verdict judges. */
  readonly rowsPerSecond: number;
  readonly innerRowsPerSecond: number;
  readonly batches: number;
  readonly cpuSeconds: number;
  readonly serverCpuSeconds: number;
  readonly peakRssBytes: number;
  readonly spotCheck?: SpotCheck;
}

export interface ThroughputResult {
  readonly input: { readonly rows: number; readonly bytes: number };
  /** The uncounted first run (the direct client), which warms the model server. */
  readonly warmUp: ThroughputRun;
  readonly runs: readonly ThroughputRun[];
  readonly median: { readonly direct: number; readonly worker: number; readonly directInner: number; readonly workerInner: number };
  /** worker ÷ direct rows per second (wall), per round. */
  readonly roundRatios: readonly number[];
  readonly innerRoundRatios: readonly number[];
  /** The median of the rounds' ratios: what the verdict judges. */
  readonly ratio: number;
  readonly innerRatio: number;
  /** The worker's median CPU seconds over the direct client's: less sensitive to other load than rows/s. */
  readonly cpuRatio: number;
  readonly verdict: "PASS" | "FAIL";
}

export interface ThroughputOptions {
  readonly rounds: number;
  readonly sampleMs: number;
  readonly serverPid: number;
  /** The model's known predictions for the input's first rows. */
  readonly served: readonly unknown[];
  /** The worker as its pod runs it: the compiled script and the Job's NODE_OPTIONS. */
  readonly worker: { readonly script: string; readonly nodeFlags: readonly string[] };
}

export async function runThroughput(dir: string, input: InputFile, job: ClientJob, o: ThroughputOptions, progress: (message: string) => void): Promise<ThroughputResult> {
  const runs: ThroughputRun[] = [];
  let reference: string[] | undefined;
  const once = async (client: ClientName, roundNo: number): Promise<ThroughputRun> => {
    const outDir = join(dir, `${client}-${roundNo}`);
    await mkdir(outDir, { recursive: true });
    try {
      const command = clientCommand(client, job, outDir, o.worker.script);
      const r = await timedRun(command.script, command.args, { serverPid: o.serverPid, sampleMs: o.sampleMs, ...(client === "worker" && { nodeFlags: o.worker.nodeFlags }) });
      if (r.exitCode !== 0) throw new Error(`${client} exited with ${String(r.exitCode)}; stderr ends with:\n${r.stderrTail}`);
      let innerMs: number;
      let batches: number;
      if (client === "worker") {
        const manifest = checkManifest(r.stdout, input.rows);
        innerMs = Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt);
        batches = manifest.batches;
      } else {
        const summary = JSON.parse(r.stdout.trim()) as { rows: number; batches: number; ms: number };
        if (summary.rows !== input.rows) throw new Error(`The direct client predicted ${summary.rows} of ${input.rows} rows`);
        innerMs = summary.ms;
        batches = summary.batches;
      }
      const predictions = await readPredictions(command.predictions, input.rows);
      checkKnown(predictions, o.served, client);
      let check: SpotCheck | undefined;
      if (reference === undefined) reference = predictions;
      else check = spotCheck(predictions, reference, SPOT_CHECK_ROWS);
      const run: ThroughputRun = {
        round: roundNo, client, wallMs: round(r.wallMs), innerMs: round(innerMs),
        rowsPerSecond: Math.round(input.rows / (r.wallMs / 1000)), innerRowsPerSecond: Math.round(input.rows / (innerMs / 1000)),
        batches, cpuSeconds: round(r.cpuSeconds), serverCpuSeconds: round(r.serverCpuSeconds), peakRssBytes: r.memory.hwmBytes,
        ...(check !== undefined && { spotCheck: check }),
      };
      progress(`Throughput ${roundNo === 0 ? "warm-up" : `round ${roundNo}/${o.rounds}`}, ${client}: ${run.rowsPerSecond} rows/s (${(run.wallMs / 1000).toFixed(2)} s wall, ${run.innerRowsPerSecond} rows/s inside), CPU ${run.cpuSeconds} s, MLServer CPU ${run.serverCpuSeconds} s${check === undefined ? "" : `, ${check.rowsCompared} rows spot-checked`}`);
      return run;
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  };
  const warmUp = await once("direct", 0);
  for (let roundNo = 1; roundNo <= o.rounds; roundNo++) {
    const order: ClientName[] = roundNo % 2 === 1 ? ["direct", "worker"] : ["worker", "direct"];
    for (const client of order) runs.push(await once(client, roundNo));
  }
  const of = (client: ClientName): ThroughputRun[] => runs.filter((r) => r.client === client);
  const pairs = Array.from({ length: o.rounds }, (_v, i) => {
    const [d, w] = [of("direct")[i]!, of("worker")[i]!];
    return { wall: w.rowsPerSecond / d.rowsPerSecond, inner: w.innerRowsPerSecond / d.innerRowsPerSecond };
  });
  const roundRatios = pairs.map((p) => round(p.wall));
  const ratio = round(median(pairs.map((p) => p.wall)));
  return {
    input: { rows: input.rows, bytes: input.bytes },
    warmUp,
    runs,
    median: {
      direct: median(of("direct").map((r) => r.rowsPerSecond)), worker: median(of("worker").map((r) => r.rowsPerSecond)),
      directInner: median(of("direct").map((r) => r.innerRowsPerSecond)), workerInner: median(of("worker").map((r) => r.innerRowsPerSecond)),
    },
    roundRatios,
    innerRoundRatios: pairs.map((p) => round(p.inner)),
    ratio,
    innerRatio: round(median(pairs.map((p) => p.inner))),
    cpuRatio: round(median(of("worker").map((r) => r.cpuSeconds)) / median(of("direct").map((r) => r.cpuSeconds))),
    verdict: ratio >= RATIO_TARGET ? "PASS" : "FAIL",
  };
}
