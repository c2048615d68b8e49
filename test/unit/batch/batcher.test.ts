import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chunkRows, type Chunk } from "../../../src/batch/batcher.ts";
import type { DecodedRow } from "../../../src/batch/features.ts";

/** The rows in groups of 1, 2 and 3 in turn: chunks must not depend on how the reader grouped them. */
async function* from(rows: DecodedRow[]): AsyncGenerator<DecodedRow[]> {
  for (let i = 0, size = 1; i < rows.length; i += size, size = (size % 3) + 1) yield await Promise.resolve(rows.slice(i, i + size));
}

const good = (row: number): DecodedRow => ({ ok: true, row, id: row, features: [row] });
const bad = (row: number): DecodedRow => ({ ok: false, row, id: row, error: "bad" });

async function collect(rows: DecodedRow[], size: number): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const chunk of chunkRows(from(rows), size)) out.push(chunk);
  return out;
}

describe("chunkRows", () => {
  it("cuts a chunk at batchSize good rows, keeping malformed rows in place", async () => {
    const chunks = await collect([good(0), bad(1), good(2), good(3), bad(4), good(5)], 2);
    assert.deepEqual(chunks.map((c) => [c.seq, c.good, c.rows.map((r) => r.row)]), [
      [0, 2, [0, 1, 2]],
      [1, 2, [3, 4, 5]],
    ]);
  });
  it("flushes the rest at the end and yields nothing for no rows", async () => {
    const chunks = await collect([good(0), good(1), good(2)], 2);
    assert.deepEqual(chunks.map((c) => c.rows.length), [2, 1]);
    assert.deepEqual(await collect([], 3), []);
  });
  it("bounds a run of malformed rows to 4 × batchSize rows per chunk", async () => {
    const chunks = await collect(Array.from({ length: 20 }, (_v, r) => bad(r)), 2);
    assert.deepEqual(chunks.map((c) => [c.rows.length, c.good]), [[8, 0], [8, 0], [4, 0]]);
  });
});
