// Lines of a byte stream, in batches per chunk: every line once, in order, whatever the chunking.
import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { test } from "node:test";
import { lineBatches } from "../../../src/batch/line-batches.ts";

async function lines(chunks: (string | Buffer)[], max = 1000): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of lineBatches(Readable.from(chunks), max, (n) => new Error(`too long: ${n}`))) out.push(...batch);
  return out;
}

test("lines split across chunks, CRLF, a last line without a newline, an empty line", async () => {
  assert.deepEqual(await lines(["a,b\r\n1,", "2\n", "\n3,4"]), ["a,b", "1,2", "", "3,4"]);
  assert.deepEqual(await lines(["x\n"]), ["x"]);
  assert.deepEqual(await lines([]), []);
});

test("a multi-byte character split between two chunks is decoded whole", async () => {
  const bytes = Buffer.from("é\nü\n");
  assert.deepEqual(await lines([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)]), ["é", "ü"]);
});

test("a line longer than the limit fails instead of filling memory", async () => {
  await assert.rejects(lines(["x".repeat(600), "y".repeat(600)], 1000), /too long: 1200/);
});

test("a chunk of many lines comes in groups of at most groupLines, every line once", async () => {
  const text = Array.from({ length: 1000 }, (_v, i) => `line ${i}`).join("\r\n");
  const groups: string[][] = [];
  for await (const group of lineBatches(Readable.from([text.slice(0, 4321), text.slice(4321)]), 1000, (n) => new Error(`too long: ${n}`), 64)) groups.push(group);
  assert.ok(groups.every((g) => g.length >= 1 && g.length <= 64), "group sizes");
  assert.deepEqual(groups.flat(), Array.from({ length: 1000 }, (_v, i) => `line ${i}`));
});
