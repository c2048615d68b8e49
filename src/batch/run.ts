// One shard of a batch prediction, composed: read the shard's rows → chunks of --batch-size good
// rows → at most --concurrency inference calls in flight → outcomes written in input order → part
// and errors files renamed into place → manifest. Memory is bounded by concurrency × chunk size:
// the input is read only as fast as chunks are written.
import { chunkRows } from "./batcher.ts";
import { V2Client, type InferenceClient } from "./client.ts";
import type { BatchRunConfig } from "./config.ts";
import { FailureBudgetError } from "./errors.ts";
import { describeBudget, judgeFailures, type BudgetVerdict } from "./failure-budget.ts";
import { predictChunk, type Predictor, type RowOutcome } from "./inference.ts";
import { manifestJson, type BatchManifest } from "./manifest.ts";
import { readShardRows } from "./reader.ts";
import { DEFAULT_RETRY, sleep, type RetryPolicy, type Sleep } from "./retry.ts";
import { ShardWriter, writeFileAtomic } from "./writer.ts";

export interface BatchRunDeps {
  /** Default: a V2Client of the configuration (closed at the end). */
  readonly client?: InferenceClient;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  readonly now?: () => Date;
}

interface Counts { succeeded: number; failed: number; batches: number }

/**
 * Runs one shard. Resolves with the manifest of a succeeded run. Throws FailureBudgetError when
 * more rows failed than --max-failed-rows (the part, errors and manifest hold what was done), and
 * the run's error (InferenceError, BatchInputError, BatchOutputError, the abort reason) otherwise,
 * after writing a failed manifest; a failed run leaves the earlier part file, if any, in place.
 */
export async function runBatch(config: BatchRunConfig, signal: AbortSignal, deps: BatchRunDeps = {}): Promise<BatchManifest> {
  const now = deps.now ?? ((): Date => new Date());
  const startedAt = now().toISOString();
  const stop = new AbortController();
  const runSignal = AbortSignal.any([signal, stop.signal]);
  const writer = await ShardWriter.open(config.output, config.shardIndex);
  const client = deps.client ?? new V2Client({ modelUrl: config.modelUrl, modelName: config.modelName, connections: config.concurrency, timeoutMs: config.timeout * 1000 });
  const predictor: Predictor = { client, retry: deps.retry ?? DEFAULT_RETRY, sleep: deps.sleep ?? sleep, signal: runSignal };
  const counts: Counts = { succeeded: 0, failed: 0, batches: 0 };
  const manifest = (status: BatchManifest["status"], extra: Partial<BatchManifest>): BatchManifest => ({
    status, shardIndex: config.shardIndex, shardCount: config.shardCount,
    rowsTotal: counts.succeeded + counts.failed, rowsSucceeded: counts.succeeded, rowsFailed: counts.failed, batches: counts.batches,
    startedAt, finishedAt: now().toISOString(), input: config.input,
    model: { url: config.modelUrl, name: config.modelName }, maxFailedRows: describeBudget(config.maxFailedRows), ...extra,
  });
  try {
    const verdict = await predictShard(config, runSignal, predictor, writer, counts);
    await writer.commit();
    const output = { output: writer.paths.part, errors: writer.paths.errors };
    if (verdict.exceeded) {
      await writeFileAtomic(writer.paths.manifest, manifestJson(manifest("failed", { ...output, error: verdict.reason })));
      throw new FailureBudgetError(verdict.reason);
    }
    const done = manifest("succeeded", output);
    await writeFileAtomic(writer.paths.manifest, manifestJson(done));
    return done;
  } catch (error) {
    stop.abort(error);
    if (!(error instanceof FailureBudgetError)) {
      await writer.discard();
      const reason = error instanceof Error ? error.message : String(error);
      // The run's error is what matters; a manifest that cannot be written is not reported over it.
      await writeFileAtomic(writer.paths.manifest, manifestJson(manifest("failed", { error: reason }))).catch(() => undefined);
    }
    throw error;
  } finally {
    if (deps.client === undefined) await client.close();
  }
}

/** Reads, predicts and writes until the input ends or the failure budget (as a count) is exceeded. */
async function predictShard(config: BatchRunConfig, signal: AbortSignal, predictor: Predictor, writer: ShardWriter, counts: Counts): Promise<BudgetVerdict> {
  const pending: Promise<RowOutcome[]>[] = [];
  let verdict: BudgetVerdict = { exceeded: false };
  const writeHead = async (): Promise<void> => {
    const outcomes = await pending.shift()!;
    await writer.write(outcomes);
    for (const o of outcomes) {
      if (o.ok) counts.succeeded++;
      else counts.failed++;
    }
    verdict = judgeFailures(config.maxFailedRows, counts.failed, counts.succeeded + counts.failed, false);
  };
  const rows = readShardRows({ path: config.input, format: config.format, shard: { index: config.shardIndex, count: config.shardCount }, idField: config.idField, signal });
  try {
    for await (const chunk of chunkRows(rows, config.batchSize)) {
      if (pending.length >= config.concurrency) await writeHead();
      if (verdict.exceeded) break;
      if (chunk.good > 0) counts.batches++;
      const outcomes = predictChunk(chunk, predictor);
      outcomes.catch(() => undefined); // awaited in order by writeHead; a failure ends the run there
      pending.push(outcomes);
    }
    while (pending.length > 0) await writeHead();
  } finally {
    // On a failure, calls still in flight are aborted by the caller; nothing awaits them.
    pending.length = 0;
  }
  return verdict.exceeded ? verdict : judgeFailures(config.maxFailedRows, counts.failed, counts.succeeded + counts.failed, true);
}
