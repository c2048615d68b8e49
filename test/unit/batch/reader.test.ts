import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BatchInputError } from "../../../src/batch/errors.ts";
import type { DecodedRow } from "../../../src/batch/features.ts";
import { formatOf, readShardRows, type InputFormat } from "../../../src/batch/reader.ts";

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), "mdo-batch-reader-")); });
after(() => rm(dir, { recursive: true, force: true }));

async function read(name: string, text: string, format: InputFormat, shard = { index: 0, count: 1 }, idField?: string): Promise<DecodedRow[]> {
  const path = join(dir, name);
  await writeFile(path, text);
  const out: DecodedRow[] = [];
  for await (const row of readShardRows({ path, format, shard, idField, signal: new AbortController().signal })) out.push(row);
  return out;
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
    const missing = readShardRows({ path: join(dir, "none.csv"), format: "csv", shard: { index: 0, count: 1 }, idField: undefined, signal: new AbortController().signal });
    await assert.rejects(missing.next(), BatchInputError);
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
