import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { BatchManifest } from "../../../src/batch/manifest.ts";
import { MAX_SUMMARY_BYTES, parseBatchSummary, summaryLine, summaryOf, writeBatchSummary, type BatchSummary } from "../../../src/batch/summary.ts";

const manifest: BatchManifest = {
  status: "failed", error: "12 rows failed, more than --max-failed-rows 10", shardIndex: 2, shardCount: 4,
  rowsTotal: 100, rowsSucceeded: 88, rowsFailed: 12, batches: 2, startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:00:01.000Z",
  input: "s3://in/rows/", model: { url: "http://127.0.0.1:8080", name: "iris" }, maxFailedRows: "10",
};

describe("summaryOf and summaryLine", () => {
  it("summarise a manifest as one compact line of JSON", () => {
    const line = summaryLine(summaryOf(manifest, "s3://out/run/manifest-2.json"));
    assert.equal(line, '{"v":1,"status":"failed","shard":2,"shards":4,"rows":100,"succeeded":88,"failed":12,"batches":2,"manifest":"s3://out/run/manifest-2.json","error":"12 rows failed, more than --max-failed-rows 10"}');
    const { error: _error, ...succeeded } = manifest;
    assert.equal(summaryOf({ ...succeeded, status: "succeeded" }, "m").error, undefined);
  });
  it("cut a long error to fit 4096 bytes, multi-byte and escaped characters included", () => {
    for (const unit of ["x", "é", "€", "😀", '"', "\u0001", "\n"]) {
      const summary = summaryOf({ ...manifest, error: `start ${unit.repeat(10_000)}` }, "s3://out/run/manifest-2.json");
      const line = summaryLine(summary);
      assert.ok(Buffer.byteLength(line) <= MAX_SUMMARY_BYTES, `${JSON.stringify(unit)}: ${Buffer.byteLength(line)} bytes`);
      assert.ok(Buffer.byteLength(line) > MAX_SUMMARY_BYTES - 64, `${JSON.stringify(unit)}: uses the room (${Buffer.byteLength(line)} bytes)`);
      assert.ok(!line.includes("\n"));
      const parsed = parseBatchSummary(line);
      assert.ok(parsed?.error?.startsWith("start ") && parsed.error.endsWith("..."));
      assert.equal(parsed?.rows, 100);
    }
  });
});

describe("parseBatchSummary", () => {
  const summary: BatchSummary = { v: 1, status: "succeeded", shard: 0, shards: 1, rows: 3, succeeded: 3, failed: 0, batches: 1, manifest: "out/manifest-0.json" };
  it("reads what summaryLine writes, ignoring unknown fields", () => {
    assert.deepEqual(parseBatchSummary(summaryLine(summary)), summary);
    assert.deepEqual(parseBatchSummary(`${JSON.stringify({ ...summary, later: true })}\n`), summary);
  });
  it("returns undefined for anything else", () => {
    for (const text of [undefined, "", "ModelNotFound: gone", "{", "[]", JSON.stringify({ ...summary, v: 2 }), JSON.stringify({ ...summary, rows: -1 }), JSON.stringify({ ...summary, status: "running" }), JSON.stringify({ ...summary, shards: 0 })]) {
      assert.equal(parseBatchSummary(text), undefined, String(text));
    }
  });
});

describe("writeBatchSummary", () => {
  it("writes the line, and ignores a missing directory (outside a pod)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mdo-batch-summary-"));
    try {
      const summary: BatchSummary = { v: 1, status: "succeeded", shard: 0, shards: 1, rows: 0, succeeded: 0, failed: 0, batches: 0, manifest: "m" };
      await writeBatchSummary(join(dir, "termination-log"), summary);
      assert.deepEqual(parseBatchSummary(await readFile(join(dir, "termination-log"), "utf8")), summary);
      await writeBatchSummary(join(dir, "missing", "termination-log"), summary);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
