// `mdo batch run` on object storage with real parts: moto's S3 (SigV4 enforced) and a real
// MLServer serving a freshly trained iris classifier. 100,000 iris-like JSON Lines rows plus 8
// malformed ones go up as two objects under a prefix (beside objects the run must skip) and are
// scored by 4 shards at once: three in-process (runShard; credentials from a Secret directory;
// multipart uploads of small parts) and one as a child process (`mdo batch run`; credentials from
// the AWS_* environment; a termination log). Checks: every good row exactly once, in input order
// per shard, with the model's own in-process prediction (scikit-learn in the MLServer virtualenv);
// malformed rows listed with their row numbers, also across the objects' boundary; exact
// manifests; the termination summary. Then a run of a shard over --max-failed-rows exits 3 with a
// failed manifest and summary, and a run under it replaces the shard's objects (no duplicates,
// no multipart upload left open).
// No cluster needed: runs with or without --test-global-setup.
import { strict as assert } from "node:assert";
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadBatchRunConfig } from "../../../src/batch/config.ts";
import type { BatchManifest } from "../../../src/batch/manifest.ts";
import { runShard, type ShardOutcome } from "../../../src/batch/run.ts";
import { parseBatchSummary } from "../../../src/batch/summary.ts";
import { IRIS_FEATURES, irisRows } from "../../support/iris-data.ts";
import { startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { startS3, type RunningS3 } from "../../support/storage/index.ts";

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const MDO = join(ROOT, "src/cmd/mdo.ts");
const GOOD_ROWS = 100_000;
const SHARDS = 4;
const BATCH_SIZE = 1_000;
const CONCURRENCY = 2;
const IN = "batch-in";
const OUT = "batch-out";
const KiB = 1024;
/** The in-process shards upload a part above this in parts of PART_SIZE (moto is told to accept parts that small). */
const MULTIPART_THRESHOLD = 512 * KiB;
const PART_SIZE = 256 * KiB;
/** Rows 0…SPLIT-1 go in the first object, the rest in the second. */
const SPLIT = 50_003;
/** Malformed rows by row number, two per shard: around the objects' boundary (50,002 | 50,003), first and last. */
const MALFORMED: ReadonlyMap<number, string> = new Map([
  [0, '{"id": "bad-json", "sepal_length": 5.1,'],
  [5, '{"id": "short", "sepal_length": 5.1, "sepal_width": 3.5}'],
  [2_001, "[5.1, 3.5, 1.4]"],
  [50_002, '{"id": "text", "sepal_length": "five", "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}'],
  [50_003, "{oops"],
  [70_002, '{"id": "long", "sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2, "stem": 1}'],
  [99_996, "not json"],
  [GOOD_ROWS + 7, '{"id": "short-last", "petal_width": 0.2}'],
]);
const ROWS = GOOD_ROWS + MALFORMED.size;

let s3: RunningS3;
let server: RunningMlserver;
let work: string;
let client: S3Client;
let secretDir: string;
/** The model's in-process prediction for each good row, by row number. */
const expected = new Map<number, number>();

const shardOf = (row: number): number => row % SHARDS;
const malformedOf = (shard: number): number[] => [...MALFORMED.keys()].filter((r) => shardOf(r) === shard);
const ownedOf = (shard: number): number => Array.from({ length: ROWS }, (_v, r) => r).filter((r) => shardOf(r) === shard).length;
const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);

before(async () => {
  const started = performance.now();
  work = await mkdtemp(join(tmpdir(), "mdo-batch-s3-"));
  // moto refuses parts under 5 MiB (but the last) unless told otherwise; its process inherits this.
  const minPart = process.env.S3_UPLOAD_PART_MIN_SIZE;
  process.env.S3_UPLOAD_PART_MIN_SIZE = String(PART_SIZE);
  try {
    [s3, server] = await Promise.all([startS3(), startMlserver()]);
  } finally {
    if (minPart === undefined) delete process.env.S3_UPLOAD_PART_MIN_SIZE;
    else process.env.S3_UPLOAD_PART_MIN_SIZE = minPart;
  }
  client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  await Promise.all([s3.createBucket(IN), s3.createBucket(OUT)]);

  const good = irisRows(GOOD_ROWS, 2026).map((r) => r.map((v) => Math.round(v * 10) / 10));
  const lines: string[] = [];
  const goodRowNumbers: number[] = [];
  for (let r = 0, g = 0; r < ROWS; r++) {
    const bad = MALFORMED.get(r);
    if (bad !== undefined) {
      lines.push(bad);
      continue;
    }
    const row = good[g++]!;
    goodRowNumbers.push(r);
    lines.push(JSON.stringify({ id: `r${r}`, ...Object.fromEntries(IRIS_FEATURES.map((f, i) => [f, row[i]])) }));
  }
  // Two objects in key order, and objects that are not JSON Lines, which the run skips.
  await s3.putObject(IN, "rows/part-000.jsonl", Buffer.from(`${lines.slice(0, SPLIT).join("\n")}\n`));
  await s3.putObject(IN, "rows/part-001.jsonl", Buffer.from(`${lines.slice(SPLIT).join("\n")}\n`));
  await s3.putObject(IN, "rows/_SUCCESS", Buffer.alloc(0));
  await s3.putObject(IN, "rows/schema.json", Buffer.from('{"features": 4}'));

  // The model's own predictions, in-process: scikit-learn's predict on the trained pipeline.
  const rowsFile = join(work, "rows.json");
  await writeFile(rowsFile, JSON.stringify(good));
  const script = "import joblib, json, sys\nm = joblib.load(sys.argv[1])\nprint(json.dumps([int(p) for p in m.predict(json.load(open(sys.argv[2])))]))";
  const predicted = JSON.parse((await run(join(server.envDir, "bin/python"), ["-c", script, join(server.dir, server.modelName, "model.joblib"), rowsFile], { maxBuffer: 64 * 1024 * 1024 })).stdout) as number[];
  assert.equal(predicted.length, GOOD_ROWS);
  goodRowNumbers.forEach((r, g) => expected.set(r, predicted[g]!));
  assert.ok(new Set(predicted).size === 3, "the rows span the three classes");

  // A storage Secret as the kubelet mounts one: one file per key.
  secretDir = join(work, "secret");
  await mkdir(secretDir);
  for (const [key, value] of Object.entries({ AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_ENDPOINT_URL: s3.endpoint, AWS_REGION: s3.region })) {
    await writeFile(join(secretDir, key), value);
  }
  console.log(`[batch-s3] Set up in ${seconds(started)} s: ${ROWS} rows in 2 objects, in-process predictions of ${GOOD_ROWS} rows`);
});

after(async () => {
  client?.destroy();
  await Promise.all([server?.stop(), s3?.stop()]);
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const flagsOf = (shard: number, output: string, extra: Record<string, string> = {}): Record<string, string> => ({
  input: `s3://${IN}/rows/`, output, modelUrl: server.url, modelName: server.modelName, idField: "id",
  shardIndex: String(shard), shardCount: String(SHARDS), batchSize: String(BATCH_SIZE), concurrency: String(CONCURRENCY), ...extra,
});

/** One shard in this process, credentials from the Secret directory and nothing from the environment. */
function inProcess(shard: number, output: string, extra: Record<string, string> = {}): Promise<ShardOutcome> {
  const config = loadBatchRunConfig({ ...flagsOf(shard, output, extra), credentialsDir: secretDir, workDir: work }, {});
  return runShard(config, new AbortController().signal, { env: {}, upload: { multipartThreshold: MULTIPART_THRESHOLD, partSize: PART_SIZE } });
}

interface ChildResult { code: number; stdout: string; stderr: string; termination: string }

/** One shard as `mdo batch run`, credentials from the AWS_* environment only. */
async function child(shard: number, output: string, extra: Record<string, string> = {}): Promise<ChildResult> {
  const termination = join(work, `termination-${shard}-${Date.now()}`);
  const args = Object.entries(flagsOf(shard, output, extra)).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v]);
  const env = { PATH: process.env.PATH ?? "", HOME: work, TMPDIR: work, ...s3.env };
  const result = await run(process.execPath, [MDO, "batch", "run", ...args, "--termination-log", termination], { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
  );
  return { ...result, termination: await readFile(termination, "utf8").catch(() => "") };
}

async function getText(key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: OUT, Key: key }));
  return object.Body!.transformToString();
}

const jsonLines = (text: string): Record<string, unknown>[] => text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

async function keysUnder(prefix: string): Promise<string[]> {
  const listing = await client.send(new ListObjectsV2Command({ Bucket: OUT, Prefix: prefix }));
  return (listing.Contents ?? []).map((o) => o.Key!).sort();
}

/** Checks shard `shard`'s objects under `prefix`; returns its part's predictions by row. */
async function checkShard(prefix: string, shard: number): Promise<Map<number, unknown>> {
  const part = jsonLines(await getText(`${prefix}part-${shard}.jsonl`));
  const predictions = new Map<number, unknown>();
  let last = -1;
  for (const p of part) {
    const row = p.row as number;
    assert.ok(row > last, `part-${shard}: row ${row} after ${last}, in input order, once`);
    last = row;
    assert.equal(shardOf(row), shard, `row ${row} is in shard ${shard}`);
    assert.equal(p.id, `r${row}`);
    predictions.set(row, p.prediction);
  }
  const errors = jsonLines(await getText(`${prefix}errors-${shard}.jsonl`));
  assert.deepEqual(errors.map((e) => e.row), malformedOf(shard), `errors-${shard} lists the shard's malformed rows`);
  for (const e of errors) assert.ok(typeof e.error === "string" && e.error !== "", `row ${String(e.row)} has a reason`);
  const manifest = JSON.parse(await getText(`${prefix}manifest-${shard}.json`)) as BatchManifest;
  const owned = ownedOf(shard);
  const failed = malformedOf(shard).length;
  assert.deepEqual(
    [manifest.status, manifest.shardIndex, manifest.shardCount, manifest.rowsTotal, manifest.rowsSucceeded, manifest.rowsFailed, manifest.batches],
    ["succeeded", shard, SHARDS, owned, owned - failed, failed, Math.ceil((owned - failed) / BATCH_SIZE)],
  );
  assert.deepEqual([manifest.input, manifest.output, manifest.errors], [`s3://${IN}/rows/`, `s3://${OUT}/${prefix}part-${shard}.jsonl`, `s3://${OUT}/${prefix}errors-${shard}.jsonl`]);
  return predictions;
}

async function openUploads(): Promise<number> {
  return (await client.send(new ListMultipartUploadsCommand({ Bucket: OUT }))).Uploads?.length ?? 0;
}

test("4 shards from an s3:// prefix to an s3:// prefix: the union of the parts is the model's predictions", async () => {
  const started = performance.now();
  const [outcomes, viaCommand] = await Promise.all([
    Promise.all([0, 1, 2].map((shard) => inProcess(shard, `s3://${OUT}/run-1/`, { maxFailedRows: "2" }))),
    child(3, `s3://${OUT}/run-1`, { maxFailedRows: "2" }),
  ]);
  const elapsed = seconds(started);
  for (const [shard, outcome] of outcomes.entries()) assert.equal("error" in outcome, false, `shard ${shard}: ${String(outcome.error)}`);
  assert.equal(viaCommand.code, 0, viaCommand.stderr);

  const union = new Map<number, unknown>();
  for (let shard = 0; shard < SHARDS; shard++) {
    for (const [row, prediction] of await checkShard("run-1/", shard)) {
      assert.equal(union.has(row), false, `row ${row} appears once`);
      union.set(row, prediction);
    }
  }
  assert.equal(union.size, GOOD_ROWS);
  let mismatches = 0;
  for (const [row, prediction] of expected) if (union.get(row) !== prediction) mismatches++;
  assert.equal(mismatches, 0, "every prediction is the model's in-process prediction");

  const manifest3 = JSON.parse(await getText("run-1/manifest-3.json")) as BatchManifest;
  assert.deepEqual(JSON.parse(viaCommand.stdout) as unknown, manifest3, "the command prints the manifest it uploaded");
  assert.deepEqual(parseBatchSummary(viaCommand.termination), {
    v: 1, status: "succeeded", shard: 3, shards: SHARDS, rows: manifest3.rowsTotal, succeeded: manifest3.rowsSucceeded, failed: 2,
    batches: manifest3.batches, manifest: `s3://${OUT}/run-1/manifest-3.json`,
  });
  assert.ok(Buffer.byteLength(viaCommand.termination) <= 4096 && !viaCommand.termination.includes("\n"));
  assert.deepEqual(outcomes.map((o) => o.manifestUri), [0, 1, 2].map((s) => `s3://${OUT}/run-1/manifest-${s}.json`));
  assert.deepEqual(await keysUnder("run-1/"), [0, 1, 2, 3].flatMap((s) => [`run-1/errors-${s}.jsonl`, `run-1/manifest-${s}.json`, `run-1/part-${s}.jsonl`]).sort());
  assert.equal(await openUploads(), 0, "no multipart upload left open");
  // A multipart object's ETag ends in "-<number of parts>"; a PutObject's is the body's MD5.
  const partBytes = Buffer.byteLength(await getText("run-1/part-0.jsonl"));
  const parts = Math.ceil(partBytes / PART_SIZE);
  assert.ok(parts > 1);
  assert.match((await client.send(new HeadObjectCommand({ Bucket: OUT, Key: "run-1/part-0.jsonl" }))).ETag ?? "", new RegExp(`-${parts}"$`), "the in-process shard's part went up in parts");
  assert.match((await client.send(new HeadObjectCommand({ Bucket: OUT, Key: "run-1/part-3.jsonl" }))).ETag ?? "", /^"[0-9a-f]{32}"$/, "the child's part went up whole (under the default 64 MiB)");
  console.log(`[batch-s3] ${SHARDS} shards (3 in-process, 1 child process), ${ROWS} rows, batch ${BATCH_SIZE}, concurrency ${CONCURRENCY}: ${elapsed} s, ${Math.round(ROWS / Number(elapsed))} rows/s; part-0 ${partBytes} bytes in ${parts} parts`);
});

test("a shard over --max-failed-rows fails with a failed manifest and summary; a re-run under it replaces its objects", async () => {
  const started = performance.now();
  const over = await child(1, `s3://${OUT}/run-1/`, { maxFailedRows: "1" });
  assert.equal(over.code, 3, over.stderr);
  assert.match(over.stderr, /2 rows failed, more than --max-failed-rows 1/);
  const failed = JSON.parse(await getText("run-1/manifest-1.json")) as BatchManifest;
  assert.deepEqual([failed.status, failed.rowsFailed], ["failed", 2]);
  assert.ok(failed.rowsTotal < ownedOf(1), `stopped early (${failed.rowsTotal} rows)`);
  assert.equal(jsonLines(await getText("run-1/part-1.jsonl")).length, failed.rowsSucceeded, "the part holds what the failed run did");
  const summary = parseBatchSummary(over.termination);
  assert.deepEqual(summary && [summary.status, summary.shard, summary.rows, summary.succeeded, summary.failed, summary.manifest], ["failed", 1, failed.rowsTotal, failed.rowsSucceeded, 2, `s3://${OUT}/run-1/manifest-1.json`]);
  assert.match(summary?.error ?? "", /more than --max-failed-rows 1/);

  const again = await inProcess(1, `s3://${OUT}/run-1/`, { maxFailedRows: "2" });
  assert.equal("error" in again, false, String(again.error));
  const predictions = await checkShard("run-1/", 1);
  assert.equal(predictions.size, ownedOf(1) - 2);
  for (const [row, prediction] of predictions) assert.equal(prediction, expected.get(row), `row ${row}`);
  assert.equal((await keysUnder("run-1/")).length, 12, "the re-run replaced its objects");
  assert.equal(await openUploads(), 0);
  console.log(`[batch-s3] Over-budget run (stopped after ${failed.rowsTotal} rows) and re-run of shard 1: ${seconds(started)} s`);
});

test("an unreadable input fails the run with a failed manifest naming it", async () => {
  const outcome = await inProcess(0, `s3://${OUT}/missing/`, { input: `s3://${IN}/nothing-here/` });
  assert.match(String(outcome.error), /Cannot list s3:\/\/batch-in\/nothing-here\/: .*names no object/);
  const manifest = JSON.parse(await getText("missing/manifest-0.json")) as BatchManifest;
  assert.deepEqual([manifest.status, manifest.rowsTotal], ["failed", 0]);
  assert.deepEqual(await keysUnder("missing/"), ["missing/manifest-0.json"]);
});
