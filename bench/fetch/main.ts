// `npm run bench:fetch`: download throughput and peak memory of `mdo fetch` from a local S3 server
// (moto on 127.0.0.1) against the AWS CLI in the same run, for a model made of one file and of
// many files (docs/benchmarks.md).
//
// Writes the model as random bytes, uploads it, then in each round both tools download each case
// in turn (which goes first alternates by round), every download verified against the model's
// digest. Prints progress on stderr, the tables on stdout, and writes everything to
// bench/results/fetch-<date>.json. Exits 1 if a download's bytes were wrong or a run failed.
import { benchOptions } from "../common/command-line.ts";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { startS3, type RunningS3 } from "../../test/support/storage/s3.ts";
import { storageTools } from "../../test/support/storage/tools.ts";
import { createProgress, type Progress } from "../agent/progress.ts";
import { AWS_CLI_SETTINGS, invocation, MDO_SETTINGS, TOOL_LABELS, writeCredentials, type Endpoint, type ToolName } from "./clients.ts";
import { writeDataset } from "./dataset.ts";
import { parseFlags, plannedSeconds, USAGE, type CaseName, type FetchBenchOptions } from "./flags.ts";
import { describeMachine } from "./machine.ts";
import { measureDownload, type Download } from "./measure.ts";
import { readMemory } from "./proc-sample.ts";
import { buildReport } from "./report.ts";
import { conditionsTable, reportTables } from "./table.ts";
import { measureStartup, type Startup, type StartupCost } from "./startup.ts";
import { uploadManyFiles, uploadOneFile } from "./upload.ts";
import { createWorkDir, type WorkDir } from "./work-dir.ts";

const BUCKET = "bench";
const KEYS: Record<CaseName, string> = { "one-file": "one/model.bin", "many-files": "many" };

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;

function describePlan(o: FetchBenchOptions): string {
  const cases = o.cases.map((c) => (c === "one-file" ? "1 file" : `${o.files} files of ${(o.sizeMiB / o.files).toFixed(2)} MiB`)).join(" and ");
  const downloads = o.cases.length * 2 * o.rounds;
  return `Planned: ${o.sizeMiB} MiB as ${cases}; ${o.rounds} rounds of mdo fetch and the AWS CLI per case = ${downloads} downloads of ${o.sizeMiB} MiB; about ${Math.ceil(plannedSeconds(o) / 60)} min`;
}

function describeStartup(s: Startup): string {
  const one = (c: StartupCost): string => `${c.seconds.toFixed(2)} s, CPU ${c.cpuSeconds.toFixed(2)} s, peak RSS ${mb(c.peakRssBytes)}`;
  return `mdo fetch --help ${one(s.mdoFetchHelp)}; the delivery modules and the AWS SDK alone ${one(s.deliveryModulesAlone)}`;
}

interface Setup {
  readonly dataSeconds: number;
  readonly uploadSeconds: Partial<Record<CaseName, number>>;
  readonly serverRssAfterUploadBytes: number | undefined;
  readonly startup: Startup;
}

async function prepare(o: FetchBenchOptions, workDir: WorkDir, s3: RunningS3, awsCli: string, signal: AbortSignal, progress: Progress) {
  const bytes = o.sizeMiB * 2 ** 20;
  const started = performance.now();
  let reported = 0;
  const dataset = await writeDataset(join(workDir.dir, "data"), bytes, o.files, signal, (written) => {
    if (written - reported >= bytes / 4 || written === bytes) {
      reported = written;
      progress(`Wrote ${(written / 2 ** 20).toFixed(0)} of ${o.sizeMiB} MiB of random data`);
    }
  });
  const dataSeconds = (performance.now() - started) / 1000;
  progress(`Model data ready in ${dataSeconds.toFixed(1)} s (digests: one file ${dataset.oneFile.digest}, ${o.files} files ${dataset.manyFiles.digest})`);
  await s3.createBucket(BUCKET);
  const context = { s3, awsCli, bucket: BUCKET, workDir, signal };
  const uploadSeconds: Partial<Record<CaseName, number>> = {};
  if (o.cases.includes("one-file")) {
    progress(`Uploading s3://${BUCKET}/${KEYS["one-file"]} (${o.sizeMiB} MiB) with aws s3 cp (multipart)…`);
    uploadSeconds["one-file"] = await uploadOneFile(context, dataset.oneFile, KEYS["one-file"]);
    progress(`Uploaded in ${uploadSeconds["one-file"].toFixed(1)} s`);
  }
  if (o.cases.includes("many-files")) {
    progress(`Uploading ${o.files} files under s3://${BUCKET}/${KEYS["many-files"]}/ (PutObject, 8 at a time)…`);
    uploadSeconds["many-files"] = await uploadManyFiles(context, dataset.manyFiles, KEYS["many-files"], (done) => {
      if (done % 50 === 0 && done < o.files) progress(`Uploaded ${done} of ${o.files} files`);
    });
    progress(`Uploaded ${o.files} files in ${uploadSeconds["many-files"].toFixed(1)} s`);
  }
  const serverRssAfterUploadBytes = readMemory(s3.pid)?.rss;
  return { dataset, dataSeconds, uploadSeconds, serverRssAfterUploadBytes };
}

async function main(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const parsed = benchOptions(parseFlags, argv, USAGE);
  if ("exit" in parsed) return parsed.exit;
  const o = parsed.options;
  const progress = createProgress();
  const began = performance.now();
  progress(describePlan(o));
  if (o.cases.includes("one-file")) {
    progress(`Note: the AWS CLI fetches the one file in ${AWS_CLI_SETTINGS.multipart_chunksize} ranged GETs, ${AWS_CLI_SETTINGS.max_concurrent_requests} at a time, and moto reads the whole object for every one of them: that reference is slow because of the test server`);
  }
  const tools = await storageTools();
  const machine = describeMachine(tools);
  progress(`Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node.js ${machine.node}, ${machine.awsCli}, moto ${machine.moto}, load average ${machine.loadAverage.join(" ")}`);
  const workDir = await createWorkDir();
  let s3: RunningS3 | undefined;
  const downloads: Download[] = [];
  let setup: Setup;
  try {
    progress(`Work directory ${workDir.dir}`);
    s3 = await startS3({ host: "127.0.0.1", log: progress });
    const prepared = await prepare(o, workDir, s3, tools.awsCli, signal, progress);
    const endpoint: Endpoint = { s3, awsCli: tools.awsCli, bucket: BUCKET, credentialsDir: join(workDir.dir, "credentials"), keys: KEYS };
    await writeCredentials(endpoint.credentialsDir, s3);
    const startup = await measureStartup(workDir, invocation("mdo", "one-file", workDir.dir, endpoint).env, signal);
    setup = { ...prepared, startup };
    progress(`Start-up alone: ${describeStartup(startup)}`);
    const context = { endpoint, dataset: prepared.dataset, workDir, signal, progress };
    for (let round = 1; round <= o.rounds; round++) {
      for (const name of o.cases) {
        const order: ToolName[] = round % 2 === 1 ? ["mdo", "aws"] : ["aws", "mdo"];
        for (const tool of order) {
          progress(`Round ${round}/${o.rounds}, ${name}: ${TOOL_LABELS[tool]}…`);
          const d = await measureDownload(context, tool, name, round);
          downloads.push(d);
          const check = d.verified ? "bytes verified" : `WRONG BYTES: ${d.problem ?? ""}`;
          progress(`  ${d.seconds.toFixed(1)} s = ${d.mibPerSecond.toFixed(1)} MiB/s, CPU ${d.cpuSeconds.toFixed(1)} s, peak RSS ${mb(d.peakRssBytes)}; S3 server CPU ${d.serverCpuSeconds.toFixed(1)} s, peak RSS ${mb(d.serverPeakRssBytes)}; other processes ${d.otherCores.toFixed(2)} cores; ${check}`);
        }
      }
    }
  } finally {
    progress("Stopping the S3 server and deleting the work directory");
    await s3?.stop();
    await workDir.remove();
  }
  const sizes = {
    "one-file": { files: 1, bytes: o.sizeMiB * 2 ** 20 },
    "many-files": { files: o.files, bytes: o.sizeMiB * 2 ** 20 },
  };
  const report = buildReport(downloads, sizes, setup.startup.mdoFetchHelp.peakRssBytes);
  const durationSeconds = Math.round((performance.now() - began) / 1000);
  console.log(`\n${reportTables(report)}\n\nRun conditions:\n\n${conditionsTable(downloads)}\n`);
  console.log(`Start-up alone: ${describeStartup(setup.startup)}.\nWhole run: ${durationSeconds} s.\n`);
  const out = resolve(o.out ?? join(import.meta.dirname, "../results", `fetch-${new Date().toISOString().slice(0, 10)}.json`));
  await mkdir(dirname(out), { recursive: true });
  const command = `npm run bench:fetch${argv.length === 0 ? "" : ` -- ${argv.join(" ")}`}`;
  const settings = { mdo: MDO_SETTINGS, aws: AWS_CLI_SETTINGS };
  const { dataSeconds, uploadSeconds, serverRssAfterUploadBytes, startup } = setup;
  const json = { date: new Date().toISOString(), command, durationSeconds, machine, options: o, settings, setup: { dataSeconds, uploadSeconds, serverRssAfterUploadBytes }, startup, report, downloads };
  await writeFile(out, `${JSON.stringify(json, null, 2)}\n`);
  progress(`Wrote ${out}`);
  if (!report.verified) {
    console.error("A download's bytes did not match the model (see `problem` in the results): its throughput does not count.");
    return 1;
  }
  return 0;
}

const interrupted = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the downloads and the S3 server, deleting the work directory\n`);
    interrupted.abort(new Error(`stopped by ${signal}`));
    process.exitCode = 130;
  });
}
main(process.argv.slice(2), interrupted.signal).then(
  (code) => {
    process.exitCode ??= code;
  },
  (error: unknown) => {
    if (interrupted.signal.aborted) console.error(`Interrupted: ${String((interrupted.signal.reason as Error).message)}; cleaned up`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode ??= 1;
  },
);
