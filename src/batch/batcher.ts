// Groups a shard's rows into chunks for the model server, in input order. A chunk holds at most
// `batchSize` good rows (one inference call) and the malformed rows met between them, so its
// outcomes can be written in input order once its call answers.
import type { DecodedRow } from "./features.ts";

export interface Chunk {
  /** 0-based position of the chunk in the shard: outcomes are written in this order. */
  readonly seq: number;
  readonly rows: readonly DecodedRow[];
  /** How many of `rows` are good (go to the model server); 0 when all are malformed. */
  readonly good: number;
}

/** A chunk is also cut at this many rows per good row of a batch, so malformed runs stay bounded in memory. */
const MAX_ROWS_PER_BATCH_ROW = 4;

/**
 * Chunks of `rows` (which arrive in groups, as the reader decodes them): cut when `batchSize`
 * good rows are in, or `4 × batchSize` rows of any kind, and at the end.
 */
export async function* chunkRows(rows: AsyncIterable<readonly DecodedRow[]>, batchSize: number): AsyncGenerator<Chunk> {
  let seq = 0;
  let current: DecodedRow[] = [];
  let good = 0;
  for await (const group of rows) {
    for (const row of group) {
      current.push(row);
      if (row.ok) good++;
      if (good === batchSize || current.length >= MAX_ROWS_PER_BATCH_ROW * batchSize) {
        yield { seq: seq++, rows: current, good };
        current = [];
        good = 0;
      }
    }
  }
  if (current.length > 0) yield { seq, rows: current, good };
}
