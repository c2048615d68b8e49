// runBatch against a fake model server client: order, errors, row-by-row retry of a rejected
// batch, retried transient failures, the failure budget, and atomic re-runs.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { InferenceClient } from "../../../src/batch/client.ts";
import type { FeatureRow } from "../../../src/batch/features.ts";
import { loadBatchRunConfig } from "../../../src/batch/config.ts";
import { FailureBudgetError, InferenceError } from "../../../src/batch/errors.ts";
import { runBatch, runShard } from "../../../src/batch/run.ts";
import { parseBatchSummary, summaryLine, summaryOf } from "../../../src/batch/summary.ts";
import type { Prediction } from "../../../src/batch/v2.ts";

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), "mdo-batch-run-")); });
after(() => rm(dir, { recursive: true, force: true }));

/** Predicts the sum of a row's features; rejects (400) any batch holding a negative feature; fails transiently first when asked. */
class FakeClient implements InferenceClient {
  calls: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  transientFailures: number;
  constructor(transientFailures = 0) { this.transientFailures = transientFailures; }
  async infer(featureRows: readonly FeatureRow[]): Promise<Prediction[]> {
    const rows = featureRows.map((r) => r.features);
    this.calls.push(rows.length);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      if (this.transientFailures > 0) {
        this.transientFailures--;
        throw new InferenceError("transient", "HTTP 503: busy", { status: 503 });
      }
      if (rows.some((r) => r.some((v) => v < 0))) throw new InferenceError("rejected", "HTTP 400: negative", { status: 400 });
      return rows.map((r) => r.reduce((a, b) => a + b, 0));
    } finally {
      this.inFlight--;
    }
  }
  async close(): Promise<void> {}
}

const lines = async (path: string): Promise<Record<string, unknown>[]> =>
  (await readFile(path, "utf8")).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

async function input(name: string, rows: number): Promise<string> {
  const text = Array.from({ length: rows }, (_v, r) => (r % 10 === 3 ? "{bad" : r % 10 === 7 ? `[${r}, -1]` : `[${r}, 1]`)).join("\n");
  const path = join(dir, name);
  await writeFile(path, `${text}\n`);
  return path;
}

const config = (flags: Record<string, string>) => loadBatchRunConfig({ modelUrl: "http://127.0.0.1:1", modelName: "m", ...flags }, {});
const noWait = { sleep: async (): Promise<void> => {}, now: () => new Date("2026-01-01T00:00:00Z") };

describe("runBatch", () => {
  it("writes predictions in input order, failed rows to errors, and exact counts", async () => {
    const path = await input("in.jsonl", 100);
    const out = join(dir, "out");
    const client = new FakeClient(2);
    const manifest = await runBatch(config({ input: path, output: out, batchSize: "8", concurrency: "3", shardIndex: "1", shardCount: "2" }), new AbortController().signal, { client, ...noWait });
    const part = await lines(join(out, "part-1.jsonl"));
    const expectedRows = Array.from({ length: 100 }, (_v, r) => r).filter((r) => r % 2 === 1 && r % 10 !== 3 && r % 10 !== 7);
    assert.deepEqual(part, expectedRows.map((r) => ({ row: r, id: r, prediction: r + 1 })));
    const errors = await lines(join(out, "errors-1.jsonl"));
    assert.deepEqual(errors.map((e) => e.row), Array.from({ length: 100 }, (_v, r) => r).filter((r) => r % 10 === 3 || r % 10 === 7));
    assert.match(String(errors.find((e) => e.row === 7)?.error), /rejected the row: HTTP 400/);
    assert.equal(manifest.status, "succeeded");
    assert.deepEqual([manifest.rowsTotal, manifest.rowsSucceeded, manifest.rowsFailed], [50, 30, 20]);
    assert.equal(manifest.batches, Math.ceil(40 / 8));
    assert.ok(client.maxInFlight <= 3);
    assert.deepEqual(JSON.parse(await readFile(join(out, "manifest-1.json"), "utf8")), manifest);
    assert.deepEqual((await readdir(out)).sort(), ["errors-1.jsonl", "manifest-1.json", "part-1.jsonl"]);
  });

  it("fails past --max-failed-rows after writing what it has, and a re-run replaces the outputs", async () => {
    const path = await input("budget.jsonl", 100);
    const out = join(dir, "budget");
    await assert.rejects(
      runBatch(config({ input: path, output: out, batchSize: "4", concurrency: "1", maxFailedRows: "3" }), new AbortController().signal, { client: new FakeClient(), ...noWait }),
      FailureBudgetError,
    );
    const failed = JSON.parse(await readFile(join(out, "manifest-0.json"), "utf8")) as { status: string; rowsFailed: number; error: string };
    assert.equal(failed.status, "failed");
    assert.ok(failed.rowsFailed > 3);
    assert.match(failed.error, /more than --max-failed-rows 3/);
    assert.equal((await lines(join(out, "errors-0.jsonl"))).length, failed.rowsFailed);

    await assert.rejects(
      runBatch(config({ input: path, output: out, maxFailedRows: "0.1" }), new AbortController().signal, { client: new FakeClient(), ...noWait }),
      /20 of 100 rows failed/,
    );
    const manifest = await runBatch(config({ input: path, output: out, maxFailedRows: "0.25" }), new AbortController().signal, { client: new FakeClient(), ...noWait });
    assert.equal(manifest.rowsSucceeded, 80);
    assert.equal((await lines(join(out, "part-0.jsonl"))).length, 80);
  });

  it("ends with the error of a model server that stays unavailable, keeping no partial part", async () => {
    const path = await input("down.jsonl", 20);
    const out = join(dir, "down");
    await assert.rejects(
      runBatch(config({ input: path, output: out }), new AbortController().signal, { client: new FakeClient(1_000), ...noWait }),
      (e: unknown) => e instanceof InferenceError && e.kind === "transient",
    );
    assert.deepEqual((await readdir(out)).sort(), ["manifest-0.json"]);
  });

  it("runShard resolves either way, with the manifest and its location for the termination summary", async () => {
    const path = await input("outcome.jsonl", 20);
    const out = join(dir, "outcome");
    const done = await runShard(config({ input: path, output: out }), new AbortController().signal, { client: new FakeClient(), ...noWait });
    assert.equal("error" in done, false);
    assert.deepEqual(parseBatchSummary(summaryLine(summaryOf(done.manifest, done.manifestUri))), {
      v: 1, status: "succeeded", shard: 0, shards: 1, rows: 20, succeeded: 16, failed: 4, batches: 1, manifest: join(out, "manifest-0.json"),
    });
    const failed = await runShard(config({ input: path, output: out, maxFailedRows: "3" }), new AbortController().signal, { client: new FakeClient(), ...noWait });
    assert.ok(failed.error instanceof FailureBudgetError);
    assert.deepEqual([failed.manifest.status, failed.manifest.rowsFailed, failed.manifest.error], ["failed", 4, "4 rows failed, more than --max-failed-rows 3"]);
    const missing = await runShard(config({ input: join(dir, "none.jsonl"), output: out }), new AbortController().signal, { client: new FakeClient(), ...noWait });
    assert.match(String(missing.error), /Cannot open .*none\.jsonl/);
    assert.deepEqual(JSON.parse(await readFile(join(out, "manifest-0.json"), "utf8")), missing.manifest);
  });

  it("stops when the signal aborts", async () => {
    const path = await input("abort.jsonl", 1_000);
    const stop = new AbortController();
    stop.abort(new Error("stopped by SIGTERM"));
    await assert.rejects(runBatch(config({ input: path, output: join(dir, "abort") }), stop.signal, { client: new FakeClient(), ...noWait }), /SIGTERM|abort/i);
  });
});
