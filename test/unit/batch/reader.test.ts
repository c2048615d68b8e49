import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BatchInputError } from "../../../src/batch/errors.ts";
import type { DecodedRow } from "../../../src/batch/features.ts";
import { inputTexts, planInput, type InputAccess } from "../../../src/batch/input-source.ts";
import { formatOf, readShardRows, type InputFormat } from "../../../src/batch/reader.ts";
import { NO_CREDENTIALS } from "../../../src/delivery/credentials.ts";

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), "mdo-batch-reader-")); });
after(() => rm(dir, { recursive: true, force: true }));

const access: InputAccess = { credentials: NO_CREDENTIALS, env: {}, retry: { tries: 3, baseDelayMs: 1 }, sleep: async () => {} };

/** Rows of local files read as one input (a prefix's objects, in this order). */
async function readFiles(names: string[], format: InputFormat, shard = { index: 0, count: 1 }, idField?: string): Promise<DecodedRow[]> {
  const signal = new AbortController().signal;
  const plans = await Promise.all(names.map((name) => planInput({ kind: "local", path: join(dir, name) }, format, access, signal)));
  const texts = inputTexts({ format, objects: plans.flatMap((p) => p.objects) }, access, signal);
  const out: DecodedRow[] = [];
  for await (const rows of readShardRows({ texts, format, shard, idField, signal })) out.push(...rows);
  return out;
}

async function read(name: string, text: string, format: InputFormat, shard = { index: 0, count: 1 }, idField?: string): Promise<DecodedRow[]> {
  await writeFile(join(dir, name), text);
  return readFiles([name], format, shard, idField);
}

const summary = (rows: DecodedRow[]): unknown[] => rows.map((r) => (r.ok ? [r.row, r.id, r.features] : [r.row, r.id, "error"]));

describe("readShardRows (JSON Lines)", () => {
  it("numbers non-blank lines from 0 and reports malformed ones in place", async () => {
    const rows = await read("a.jsonl", '[1,2]\n\n{oops\n[3,4]\r\n[5]\n"x"\n[6,7]', "jsonl");
    assert.deepEqual(summary(rows), [[0, 0, [1, 2]], [1, 1, "error"], [2, 2, [3, 4]], [3, 3, "error"], [4, 4, "error"], [5, 5, [6, 7]]]);
  });
  it("gives each shard its rows with the same row numbers", async () => {
    const text = Array.from({ length: 7 }, (_v, i) => `{"id":"r${i}","x":${i}}`).join("\n");
    const shard1 = await read("b.jsonl", text, "jsonl", { index: 1, count: 3 }, "id");
    assert.deepEqual(summary(shard1), [[1, "r1", [1]], [4, "r4", [4]]]);
  });
});

describe("readShardRows (CSV)", () => {
  it("reads the header, numbers records after it, and joins quoted newlines", async () => {
    const text = '\ufeffid,a,b\nx,1,2\n\ny,"3",4\n"multi\nline",5,6\nz,abc,7\nw,8\n"open,9,9';
    const rows = await read("c.csv", text, "csv", { index: 0, count: 1 }, "id");
    assert.deepEqual(summary(rows), [[0, "x", [1, 2]], [1, "y", [3, 4]], [2, "multi\nline", [5, 6]], [3, "z", "error"], [4, "w", "error"], [5, 5, "error"]]);
    const last = rows[5]!;
    assert.match(!last.ok ? last.error : "", /invalid CSV: unterminated quoted field/);
  });
  it("shards CSV rows by row number", async () => {
    const text = `a,b\n${Array.from({ length: 5 }, (_v, i) => `${i},${i}`).join("\n")}\n`;
    assert.deepEqual((await read("d.csv", text, "csv", { index: 0, count: 2 })).map((r) => r.row), [0, 2, 4]);
    assert.deepEqual((await read("d.csv", text, "csv", { index: 1, count: 2 })).map((r) => r.row), [1, 3]);
  });
  it("fails on an empty file, a bad header and a missing file", async () => {
    await assert.rejects(read("e.csv", "\n\n", "csv"), BatchInputError);
    await assert.rejects(read("f.csv", "a,a\n1,2\n", "csv"), /unique/);
    await assert.rejects(readFiles(["none.csv"], "csv"), BatchInputError);
  });
});

describe("readShardRows (several objects)", () => {
  it("numbers JSON Lines rows on across objects", async () => {
    await writeFile(join(dir, "m1.jsonl"), "[1]\n[2]\n");
    await writeFile(join(dir, "m2.jsonl"), "\n[3]\n{bad\n[4]");
    assert.deepEqual(summary(await readFiles(["m1.jsonl", "m2.jsonl"], "jsonl")), [[0, 0, [1]], [1, 1, [2]], [2, 2, [3]], [3, 3, "error"], [4, 4, [4]]]);
    assert.deepEqual((await readFiles(["m1.jsonl", "m2.jsonl"], "jsonl", { index: 1, count: 2 })).map((r) => r.row), [1, 3]);
  });
  it("reads each CSV object's own header, skips empty objects, and fails on a different header", async () => {
    await writeFile(join(dir, "h1.csv"), "\ufeffa,b\n1,2\n");
    await writeFile(join(dir, "h2.csv"), "a,b\r\n3,4\r\n5,6\r\n");
    await writeFile(join(dir, "h3.csv"), "");
    await writeFile(join(dir, "h4.csv"), "b,a\n7,8\n");
    assert.deepEqual(summary(await readFiles(["h1.csv", "h3.csv", "h2.csv"], "csv")), [[0, 0, [1, 2]], [1, 1, [3, 4]], [2, 2, [5, 6]]]);
    await assert.rejects(readFiles(["h1.csv", "h4.csv"], "csv"), (e: unknown) => e instanceof BatchInputError && /h4\.csv: its header \(b,a\) differs from the header of .*h1\.csv \(a,b\)/.test(e.message));
  });
});

describe("formatOf", () => {
  it("tells the format from the extension", () => {
    assert.equal(formatOf("x/IN.CSV"), "csv");
    assert.equal(formatOf("a.jsonl"), "jsonl");
    assert.equal(formatOf("a.ndjson"), "jsonl");
    assert.equal(formatOf("a.json"), undefined);
  });
});
