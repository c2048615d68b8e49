// Predictions for one chunk of rows: its good rows go to the model server in one call (retried
// when transient); when the server rejects the batch (4xx, 500) each row is sent alone to find the
// rows it rejects. Malformed and rejected rows become failed outcomes; a fatal or exhausted
// transient failure is thrown and ends the run.
import type { Chunk } from "./batcher.ts";
import type { InferenceClient } from "./client.ts";
import { InferenceError } from "./errors.ts";
import type { DecodedRow, FeatureRow, RowId } from "./features.ts";
import { withRetry, type RetryPolicy, type Sleep } from "./retry.ts";
import type { Prediction } from "./v2.ts";

export type RowOutcome =
  | { readonly ok: true; readonly row: number; readonly id: RowId; readonly prediction: Prediction }
  | { readonly ok: false; readonly row: number; readonly id: RowId; readonly error: string };

export interface Predictor {
  readonly client: InferenceClient;
  readonly retry: RetryPolicy;
  readonly sleep: Sleep;
  readonly signal: AbortSignal;
}

const isRejection = (error: unknown): error is InferenceError => error instanceof InferenceError && error.kind === "rejected";

/** The outcome of every row of the chunk, in the chunk's order. */
export async function predictChunk(chunk: Chunk, p: Predictor): Promise<RowOutcome[]> {
  const good: Extract<DecodedRow, { ok: true }>[] = [];
  for (const r of chunk.rows) if (r.ok) good.push(r);
  const call = (rows: readonly FeatureRow[]): Promise<Prediction[]> => withRetry(() => p.client.infer(rows, p.signal), p.retry, p.sleep, p.signal);
  const predictions = new Map<number, Prediction | InferenceError>();
  if (good.length > 0) {
    try {
      const answer = await call(good);
      // The common case: one answer for the whole chunk, taken in order without a lookup per row.
      let next = 0;
      return chunk.rows.map((r): RowOutcome => (r.ok ? { ok: true, row: r.row, id: r.id, prediction: answer[next++]! } : r));
    } catch (error) {
      if (!isRejection(error)) throw error;
      for (const r of good) {
        try {
          predictions.set(r.row, (await call([r]))[0]!);
        } catch (rowError) {
          if (!isRejection(rowError)) throw rowError;
          predictions.set(r.row, rowError);
        }
      }
    }
  }
  return chunk.rows.map((r): RowOutcome => {
    if (!r.ok) return r;
    const prediction = predictions.get(r.row)!;
    return prediction instanceof InferenceError
      ? { ok: false, row: r.row, id: r.id, error: `the model server rejected the row: ${prediction.message}` }
      : { ok: true, row: r.row, id: r.id, prediction };
  });
}
