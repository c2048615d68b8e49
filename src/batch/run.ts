// One shard of a batch prediction, composed: list the input → read the shard's rows → chunks of
// --batch-size good rows → at most --concurrency inference calls in flight → outcomes written in
// input order → part and errors put in place (output-sink.ts: a local directory or an s3://
// prefix) → manifest. Memory is bounded by concurrency × chunk size: the input is read only as
// fast as chunks are written.
import { basename } from "node:path";
import { loadCredentials, NO_CREDENTIALS } from "../delivery/credentials.ts";
import type { StorageCredentials } from "../delivery/store.ts";
import { chunkRows, type Chunk } from "./batcher.ts";
import { V2Client, type InferenceClient } from "./client.ts";
import { waitForModelReady } from "./model-ready.ts";
import { loadBaseline, ShardDrift } from "./drift-profile.ts";
import type { BatchRunConfig } from "./config.ts";
import { BatchConfigError, FailureBudgetError } from "./errors.ts";
import { describeBudget, judgeFailures, type BudgetVerdict } from "./failure-budget.ts";
import { predictChunk, type Predictor, type RowOutcome } from "./inference.ts";
import { inputTexts, planInput, type InputAccess } from "./input-source.ts";
import { locationOf } from "./location.ts";
import { manifestJson, type BatchManifest } from "./manifest.ts";
import { openOutputSink, type OutputSink } from "./output-sink.ts";
import { readShardRows } from "./reader.ts";
import { DEFAULT_RETRY, sleep, type RetryPolicy, type Sleep } from "./retry.ts";
import type { UploadOptions } from "./s3-upload.ts";
import { shardPaths } from "./writer.ts";

export interface BatchRunDeps {
  /** Default: a V2Client of the configuration (closed at the end). */
  readonly client?: InferenceClient;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  readonly now?: () => Date;
  /** Default: process.env (AWS_* for s3://). */
  readonly env?: NodeJS.ProcessEnv;
  /** Multipart thresholds of an s3:// output (tests). */
  readonly upload?: Partial<UploadOptions>;
}

/** How a run ended: its manifest (also when it failed), where the manifest is, and the error of a failed run. */
export interface ShardOutcome {
  readonly manifest: BatchManifest;
  readonly manifestUri: string;
  readonly error?: unknown;
}

/** A failed run's manifest gets this long to reach the store once the run's signal has aborted. */
const FAILED_MANIFEST_TIMEOUT_MS = 30_000;

interface Counts { succeeded: number; failed: number; batches: number }

/**
 * Runs one shard. Resolves with the manifest of a succeeded run. Throws FailureBudgetError when
 * more rows failed than --max-failed-rows (the part, errors and manifest hold what was done), and
 * the run's error (InferenceError, BatchInputError, BatchOutputError, the abort reason) otherwise,
 * after writing a failed manifest; a failed run leaves the earlier part, if any, in place.
 */
export async function runBatch(config: BatchRunConfig, signal: AbortSignal, deps: BatchRunDeps = {}): Promise<BatchManifest> {
  const outcome = await runShard(config, signal, deps);
  if ("error" in outcome) throw outcome.error;
  return outcome.manifest;
}

/** Runs one shard like runBatch, but resolves either way, with the manifest for the termination summary. */
export async function runShard(config: BatchRunConfig, signal: AbortSignal, deps: BatchRunDeps = {}): Promise<ShardOutcome> {
  const now = deps.now ?? ((): Date => new Date());
  const startedAt = now().toISOString();
  const counts: Counts = { succeeded: 0, failed: 0, batches: 0 };
  const manifest = (status: BatchManifest["status"], extra: Partial<BatchManifest>): BatchManifest => ({
    status, shardIndex: config.shardIndex, shardCount: config.shardCount,
    rowsTotal: counts.succeeded + counts.failed, rowsSucceeded: counts.succeeded, rowsFailed: counts.failed, batches: counts.batches,
    startedAt, finishedAt: now().toISOString(), input: config.input,
    model: { url: config.modelUrl, name: config.modelName }, maxFailedRows: describeBudget(config.maxFailedRows), ...extra,
  });
  const retry = deps.retry ?? DEFAULT_RETRY;
  const wait = deps.sleep ?? sleep;
  const env = deps.env ?? process.env;
  let sink: OutputSink;
  let access: InputAccess;
  try {
    const credentials = await credentialsOf(config.credentialsDir);
    access = { credentials, env, retry, sleep: wait };
    sink = await openOutputSink(config.outputLocation, config.shardIndex, config.outputFormat, { credentials, env, workDir: config.workDir, ...(deps.upload && { upload: deps.upload }) });
  } catch (error) {
    // Nowhere to write a manifest: the summary still says what happened.
    const manifestUri = locationOf(config.outputLocation, shardPaths("", config.shardIndex, config.outputFormat).manifest);
    return { manifest: manifest("failed", { error: messageOf(error) }), manifestUri, error };
  }
  const stop = new AbortController();
  const runSignal = AbortSignal.any([signal, stop.signal]);
  const client = deps.client ?? new V2Client({ modelUrl: config.modelUrl, modelName: config.modelName, connections: config.concurrency, timeoutMs: config.timeout * 1000 });
  const predictor: Predictor = { client, retry, sleep: wait, signal: runSignal };
  const manifestUri = sink.locations.manifest;
  try {
    if (config.modelReadyTimeout > 0) await waitForModelReady(config.modelUrl, config.modelName, config.modelReadyTimeout * 1000, runSignal, wait);
    const drift = config.driftBaseline === undefined ? undefined : new ShardDrift(await loadBaseline(config.driftBaseline));
    const verdict = await predictShard(config, runSignal, access, predictor, sink, counts, drift);
    await sink.commit(runSignal);
    const output = { output: sink.locations.part, errors: sink.locations.errors, ...(drift !== undefined && { drift: drift.summary() }) };
    if (verdict.exceeded) {
      const failed = manifest("failed", { ...output, error: verdict.reason });
      await sink.writeManifest(manifestJson(failed), runSignal);
      return { manifest: failed, manifestUri, error: new FailureBudgetError(verdict.reason) };
    }
    const done = manifest("succeeded", output);
    await sink.writeManifest(manifestJson(done), runSignal);
    return { manifest: done, manifestUri };
  } catch (error) {
    stop.abort(error);
    await sink.discard();
    const failed = manifest("failed", { error: messageOf(error) });
    // The run's error is what matters; a manifest that cannot be written is not reported over it.
    await sink.writeManifest(manifestJson(failed), AbortSignal.timeout(FAILED_MANIFEST_TIMEOUT_MS)).catch(() => undefined);
    return { manifest: failed, manifestUri, error };
  } finally {
    if (deps.client === undefined) await client.close();
    await sink.close();
  }
}

async function credentialsOf(dir: string | undefined): Promise<StorageCredentials> {
  if (dir === undefined) return NO_CREDENTIALS;
  try {
    return await loadCredentials(dir, basename(dir));
  } catch (error) {
    throw new BatchConfigError(`Cannot read --credentials-dir ${dir}: ${messageOf(error)}`, { cause: error });
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Chunks answered but not yet written, at most this many per call in flight (memory bound). */
const QUEUED_PER_CALL = 2;

/** One inference call, in the order its chunk was read. */
interface Call {
  readonly outcomes: Promise<RowOutcome[]>;
  settled: boolean;
}

/**
 * Reads, predicts and writes until the input ends or the failure budget (as a count) is exceeded.
 * Up to --concurrency calls are in flight: a new one starts as soon as any answers, not only the
 * oldest. Answers are written in input order, so at most 2 × concurrency chunks wait in memory.
 */
async function predictShard(config: BatchRunConfig, signal: AbortSignal, access: InputAccess, predictor: Predictor, sink: OutputSink, counts: Counts, drift: ShardDrift | undefined): Promise<BudgetVerdict> {
  const queue: Call[] = [];
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let verdict: BudgetVerdict = { exceeded: false };
  const start = (chunk: Chunk): void => {
    const call: Call = { outcomes: predictChunk(chunk, predictor), settled: false };
    const settle = (): void => {
      call.settled = true;
      inFlight--;
      wake?.();
    };
    call.outcomes.then(settle, settle); // a failure is thrown where writeHead awaits it, in order
    inFlight++;
    queue.push(call);
  };
  const writeHead = async (): Promise<void> => {
    const outcomes = await queue.shift()!.outcomes;
    await sink.write(outcomes);
    for (const o of outcomes) {
      if (o.ok) counts.succeeded++;
      else counts.failed++;
    }
    verdict = judgeFailures(config.maxFailedRows, counts.failed, counts.succeeded + counts.failed, false);
  };
  /** Writes the answered chunks at the head of the queue; then, while `full()`, waits for an answer. */
  const drain = async (full: () => boolean): Promise<void> => {
    for (;;) {
      while (queue[0]?.settled === true) await writeHead();
      if (verdict.exceeded || !full()) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  };
  const maxQueued = QUEUED_PER_CALL * config.concurrency;
  const plan = await planInput(config.inputLocation, config.format, access, signal);
  const texts = inputTexts(plan, access, signal);
  const rows = readShardRows({ texts, format: plan.format, shard: { index: config.shardIndex, count: config.shardCount }, idField: config.idField, signal });
  try {
    for await (const chunk of chunkRows(rows, config.batchSize)) {
      await drain(() => inFlight >= config.concurrency || queue.length >= maxQueued);
      if (verdict.exceeded) break;
      if (chunk.good > 0) counts.batches++;
      if (drift !== undefined) for (const row of chunk.rows) if (row.ok) drift.observe(row.features);
      start(chunk);
    }
    while (queue.length > 0) await writeHead(); // every call started is written, as its rows were counted
  } finally {
    // On a failure, calls still in flight are aborted by the caller; nothing awaits them.
    queue.length = 0;
  }
  return verdict.exceeded ? verdict : judgeFailures(config.maxFailedRows, counts.failed, counts.succeeded + counts.failed, true);
}
