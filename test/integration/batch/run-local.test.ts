// `mdo batch run` in local mode against a real MLServer serving a freshly trained iris
// classifier: 2,000 rows (the training script's reference rows first) plus malformed ones, as
// JSON Lines and as CSV, run as two shards in child processes. The union of the parts must be
// exactly the model's own predictions (direct V2 calls, and the training-time `served` values for
// the reference rows), each row once, in input order; manifests count exactly; malformed rows are
// listed with their row numbers; rows the model rejects are found row by row; too many failed
// rows exit 3; an unreachable server and SIGTERM exit 1.
// No cluster: run without --test-global-setup.
import { strict as assert } from "node:assert";
import { execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { irisRows } from "../../support/iris-data.ts";
import { parseCsvRecord } from "../../../src/batch/csv-record.ts";
import { buildBaseline } from "../../../src/drift/index.ts";
import { irisInferenceBody, startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { isAlive } from "../../../src/sandbox/processes.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const MDO = join(ROOT, "src/cmd/mdo.ts");
const GOOD_ROWS = 2_000;
const FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

let server: RunningMlserver;
let dir: string;
/** Feature rows in input order; undefined where the input holds a malformed row. */
let inputRows: (number[] | undefined)[];
/** The model's prediction for each row number of the input (good rows only). */
const expected = new Map<number, number>();

interface Result { code: number; stdout: string; stderr: string }

/** Runs `mdo` to its end; `onStart` gets the child (to signal it). */
function mdo(args: string[], onStart?: (child: ChildProcess) => void): Promise<Result> {
  return new Promise((resolvePromise) => {
    const child = execFile(process.execPath, [MDO, ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolvePromise({ code, stdout, stderr });
    });
    onStart?.(child);
  });
}

async function jsonLines(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, "utf8")).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A CSV part (--output-format csv) as the JSON part's records: its header must be row,id,prediction. */
async function csvPart(path: string): Promise<Record<string, unknown>[]> {
  const [header, ...records] = (await readFile(path, "utf8")).split("\n").filter((l) => l !== "").map(parseCsvRecord);
  assert.deepEqual(header, ["row", "id", "prediction"]);
  return records.map(([row, id, prediction]) => ({ row: Number(row), id, prediction: Number(prediction) }));
}

/** Malformed rows and where they go: after these many good rows. */
const MALFORMED_AT = [5, 700, 1_333, 1_999];

before(async () => {
  server = await startMlserver();
  dir = await mkdtemp(join(tmpdir(), "mdo-batch-it-"));
  const reference = server.expected.rows;
  const generated = irisRows(GOOD_ROWS - reference.length, 42).map((r) => r.map((v) => Math.round(v * 10) / 10));
  const good = [...reference, ...generated];
  inputRows = [];
  good.forEach((row, i) => {
    if (MALFORMED_AT.includes(i)) inputRows.push(undefined);
    inputRows.push(row);
  });
  // The model's answers, from direct V2 calls of 500 rows.
  const answers: number[] = [];
  for (let i = 0; i < good.length; i += 500) {
    const response = await fetch(`${server.url}/v2/models/${server.modelName}/infer`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(irisInferenceBody(good.slice(i, i + 500))),
    });
    assert.equal(response.status, 200);
    answers.push(...((await response.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data);
  }
  assert.deepEqual(answers.slice(0, reference.length), server.expected.served, "direct V2 calls agree with the model's in-process predictions");
  let g = 0;
  inputRows.forEach((row, r) => { if (row !== undefined) expected.set(r, answers[g++]!); });

  const malformedJson = ['{"id": "bad-json", "sepal_length": 5.1,', '{"id": "short", "sepal_length": 5.1, "sepal_width": 3.5}', '{"id": "text", "sepal_length": "five", "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}', "[1, 2, 3, 4]"];
  const malformedCsv = ["bad-cells,5.1,3.5", "text,five,3.5,1.4,0.2", "empty,5.1,,1.4,0.2", "long,1,2,3,4,5"];
  let m = 0;
  let n = 0;
  const jsonl = inputRows.map((row, r) => row === undefined ? malformedJson[m++]! : JSON.stringify({ id: `r${r}`, ...Object.fromEntries(FEATURES.map((f, i) => [f, row[i]])) }));
  const csv = inputRows.map((row, r) => row === undefined ? malformedCsv[n++]! : [`r${r}`, ...row].join(","));
  await writeFile(join(dir, "iris.jsonl"), `${jsonl.join("\n")}\n`);
  await writeFile(join(dir, "iris.csv"), `id,${FEATURES.join(",")}\r\n${csv.join("\r\n")}\r\n`);
});

// Only this file's server is checked: stopAndCheckGone also counts other runs' MLServers on the machine.
after(async () => {
  const pid = server?.pid;
  await server?.stop();
  if (pid !== undefined && pid > 0) assert.equal(isAlive(pid), false, `MLServer pid ${pid} survived stop()`);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const malformedRows = (): number[] => inputRows.flatMap((row, r) => (row === undefined ? [r] : []));

async function runShards(input: string, out: string, extra: string[]): Promise<void> {
  const base = ["batch", "run", "--input", join(dir, input), "--output", out, "--model-url", server.url, "--model-name", server.modelName, "--id-field", "id", "--shard-count", "2", ...extra];
  const results = await Promise.all([0, 1].map((i) => mdo([...base, "--shard-index", String(i)])));
  results.forEach((r, i) => assert.equal(r.code, 0, `shard ${i} exited ${r.code}: ${r.stderr}`));
  const union = new Map<number, unknown>();
  const csvOut = extra.join(" ").includes("--output-format csv");
  for (const shard of [0, 1]) {
    const part = csvOut ? await csvPart(join(out, `part-${shard}.csv`)) : await jsonLines(join(out, `part-${shard}.jsonl`));
    const rows = part.map((p) => p.row as number);
    assert.deepEqual(rows, [...rows].sort((a, b) => a - b), `part-${shard} is in input order`);
    for (const p of part) {
      const row = p.row as number;
      assert.equal(row % 2, shard, `row ${row} is in shard ${shard}`);
      assert.equal(union.has(row), false, `row ${row} appears once`);
      assert.equal(p.id, `r${row}`);
      union.set(row, p.prediction);
    }
    const errors = await jsonLines(join(out, `errors-${shard}.jsonl`));
    assert.deepEqual(errors.map((e) => e.row), malformedRows().filter((r) => r % 2 === shard));
    for (const e of errors) assert.equal(typeof e.error, "string");
    const manifest = JSON.parse(await readFile(join(out, `manifest-${shard}.json`), "utf8")) as Record<string, unknown>;
    const owned = inputRows.filter((_row, r) => r % 2 === shard).length;
    const failed = malformedRows().filter((r) => r % 2 === shard).length;
    assert.equal(manifest.status, "succeeded");
    assert.equal(manifest.rowsTotal, owned);
    assert.equal(manifest.rowsFailed, failed);
    assert.equal(manifest.rowsSucceeded, owned - failed);
    assert.deepEqual(JSON.parse(results[shard]!.stdout) as unknown, manifest);
  }
  assert.deepEqual(new Map([...union].sort(([a], [b]) => a - b)), expected);
}

test("JSON Lines in two shards: the union of the parts is the model's predictions", async () => {
  await runShards("iris.jsonl", join(dir, "out-jsonl"), ["--batch-size", "64", "--concurrency", "4"]);
  const manifest = JSON.parse(await readFile(join(dir, "out-jsonl", "manifest-0.json"), "utf8")) as { batches: number; rowsSucceeded: number };
  assert.equal(manifest.batches, Math.ceil(manifest.rowsSucceeded / 64));
});

test("CSV in two shards, re-run into the same directory: the same predictions, no duplicates", async () => {
  const out = join(dir, "out-csv");
  await runShards("iris.csv", out, ["--batch-size", "100", "--concurrency", "2"]);
  await runShards("iris.csv", out, ["--batch-size", "37", "--concurrency", "3"]);
  const errors = await jsonLines(join(out, "errors-0.jsonl"));
  const text = errors.find((e) => e.id === "text") ?? (await jsonLines(join(out, "errors-1.jsonl"))).find((e) => e.id === "text");
  assert.match(String(text?.error), /column "sepal_length" is not a number/);
});

test("--output-format csv: a row,id,prediction part per shard with the same predictions", async () => {
  await runShards("iris.csv", join(dir, "out-csv-csv"), ["--batch-size", "64", "--concurrency", "4", "--output-format", "csv"]);
});

test("more failed rows than --max-failed-rows: exit 3 after writing the outputs", async () => {
  const out = join(dir, "out-budget");
  const result = await mdo(["batch", "run", "--input", join(dir, "iris.jsonl"), "--output", out, "--model-url", server.url, "--model-name", server.modelName, "--id-field", "id", "--max-failed-rows", "0.001"]);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /4 of 2004 rows failed .* more than --max-failed-rows 0\.001/);
  const manifest = JSON.parse(await readFile(join(out, "manifest-0.json"), "utf8")) as Record<string, unknown>;
  assert.deepEqual([manifest.status, manifest.rowsTotal, manifest.rowsFailed], ["failed", 2004, 4]);
  assert.equal((await jsonLines(join(out, "part-0.jsonl"))).length, GOOD_ROWS);
  const passing = await mdo(["batch", "run", "--input", join(dir, "iris.jsonl"), "--output", out, "--model-url", server.url, "--model-name", server.modelName, "--id-field", "id", "--max-failed-rows", "4"]);
  assert.equal(passing.code, 0, passing.stderr);
});

test("an unreachable model server: retried, then exit 1 with a failed manifest and no part", async () => {
  const [port] = await freePorts(1);
  const out = join(dir, "out-down");
  const result = await mdo(["batch", "run", "--input", join(dir, "iris.csv"), "--output", out, "--model-url", `http://127.0.0.1:${port}`, "--model-name", "iris", "--id-field", "id"]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /ECONNREFUSED|connect/i);
  const manifest = JSON.parse(await readFile(join(out, "manifest-0.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.status, "failed");
  await assert.rejects(readFile(join(out, "part-0.jsonl")));
});

test("rows the model rejects (3 features for a 4-feature model) are listed as failed rows, found row by row", async () => {
  const out = join(dir, "out-rejected");
  await writeFile(join(dir, "three.jsonl"), `${Array.from({ length: 5 }, (_v, r) => JSON.stringify([5.1 + r / 10, 3.5, 1.4])).join("\n")}\n`);
  const result = await mdo(["batch", "run", "--input", join(dir, "three.jsonl"), "--output", out, "--model-url", server.url, "--model-name", server.modelName, "--batch-size", "2"]);
  assert.equal(result.code, 0, result.stderr);
  const errors = await jsonLines(join(out, "errors-0.jsonl"));
  assert.deepEqual(errors.map((e) => [e.row, e.id]), [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
  for (const e of errors) assert.match(String(e.error), /^the model server rejected the row: HTTP (4\d\d|500)/);
  assert.equal(await readFile(join(out, "part-0.jsonl"), "utf8"), "");
  const manifest = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.deepEqual([manifest.rowsTotal, manifest.rowsSucceeded, manifest.rowsFailed, manifest.batches], [5, 0, 5, 3]);
});

test("SIGTERM stops a run: exit 1, a failed manifest, no part", async () => {
  const out = join(dir, "out-sigterm");
  const args = ["batch", "run", "--input", join(dir, "iris.jsonl"), "--output", out, "--model-url", server.url, "--model-name", server.modelName, "--id-field", "id", "--batch-size", "1", "--concurrency", "1"];
  // Signalled 300 ms after it opened its temporary part file: mid-run (2,004 calls of one row
  // take seconds; the part is buffered, so its size cannot tell).
  const result = await mdo(args, (child) => {
    const temporary = join(out, `part-0.jsonl.tmp-${child.pid}`);
    const poll = setInterval(() => {
      stat(temporary).then(() => {
        clearInterval(poll);
        setTimeout(() => child.kill("SIGTERM"), 300);
      }, () => undefined);
    }, 20);
    child.once("exit", () => clearInterval(poll));
  });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /stopped by SIGTERM/);
  const manifest = JSON.parse(await readFile(join(out, "manifest-0.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.status, "failed");
  assert.ok((manifest.rowsTotal as number) < 2004, `stopped early (${String(manifest.rowsTotal)} rows)`);
  await assert.rejects(readFile(join(out, "part-0.jsonl")));
});

test("--drift-baseline: rows like the training data pass, a shifted feature is flagged, in the manifest and the summary", async () => {
  // The baseline: the generator's own distribution (a large independent sample of it).
  const baseline = buildBaseline(irisRows(20_000, 7), { columns: FEATURES });
  await writeFile(join(dir, "baseline.json"), JSON.stringify(baseline));
  const shifted = irisRows(3_000, 8).map((r) => [r[0]!, r[1]!, r[2]! + 1.5, r[3]!]);
  const calm = irisRows(3_000, 9);
  const verdicts: Record<string, { n: string; p: number | null; psi: number | null }[]> = {};
  for (const [name, rows] of [["calm", calm], ["shifted", shifted]] as const) {
    await writeFile(join(dir, `${name}.jsonl`), rows.map((r) => JSON.stringify(r)).join("\n"));
    const termination = join(dir, `termination-${name}`);
    const result = await mdo(["batch", "run", "--input", join(dir, `${name}.jsonl`), "--output", join(dir, `out-${name}`), "--model-url", server.url, "--model-name", server.modelName,
      "--drift-baseline", join(dir, "baseline.json"), "--termination-log", termination]);
    assert.equal(result.code, 0, result.stderr);
    const manifest = JSON.parse(await readFile(join(dir, `out-${name}`, "manifest-0.json"), "utf8")) as { drift?: { rows: number; features: { n: string; p: number | null; psi: number | null }[] } };
    assert.equal(manifest.drift?.rows, 3_000);
    assert.deepEqual((JSON.parse(await readFile(termination, "utf8")) as { drift?: unknown }).drift, manifest.drift, "the summary carries the same verdicts");
    verdicts[name] = manifest.drift?.features ?? [];
  }
  // Each p-value against α / features, as the operator's Bonferroni correction would with one shard.
  const threshold = 0.01 / FEATURES.length;
  assert.deepEqual(verdicts.calm?.filter((f) => (f.p ?? 1) < threshold).map((f) => f.n), []);
  assert.deepEqual(verdicts.shifted?.filter((f) => (f.p ?? 1) < threshold).map((f) => f.n), ["petal_length"]);
  console.log(`[batch] drift p-values calm ${JSON.stringify(verdicts.calm?.map((f) => f.p))}, shifted ${JSON.stringify(verdicts.shifted?.map((f) => f.p))}`);
});
