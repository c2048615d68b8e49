// Sharding without coordination: shard i of n takes the rows whose 0-based row number r
// satisfies r % n == i. Row numbers count data rows (not a CSV header, not blank lines), so every
// shard of the same input agrees on them, and the union of all shards is the input, once.

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const SINGLE_SHARD: Shard = { index: 0, count: 1 };

/** Whether `shard` owns the row numbered `row` (0-based). */
export function ownsRow(shard: Shard, row: number): boolean {
  return row % shard.count === shard.index;
}
