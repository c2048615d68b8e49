// The termination summary: one line of JSON that `mdo batch run` leaves in its container's
// termination log whether it succeeded or failed. The kubelet copies it into the pod's status
// (terminated.message, at most 4096 bytes), where the operator reads every shard's summary
// (parseBatchSummary) to sum the rows of a BatchPrediction without reading the manifests.
import { writeFile } from "node:fs/promises";
import { z } from "zod";
import type { BatchManifest } from "./manifest.ts";

/** Where the kubelet reads the message from (the container's terminationMessagePath default). */
export const TERMINATION_LOG = "/dev/termination-log";
/** The kubelet keeps at most this many bytes of a termination message. */
export const MAX_SUMMARY_BYTES = 4096;

const Count = z.number().int().nonnegative();

export const BatchSummary = z.object({
  v: z.literal(1),
  status: z.enum(["succeeded", "failed"]),
  shard: Count,
  shards: z.number().int().positive(),
  rows: Count,
  succeeded: Count,
  failed: Count,
  batches: Count,
  /** The manifest's path or URI. */
  manifest: z.string(),
  /** Why the run failed (truncated to fit); absent when it succeeded. */
  error: z.string().optional(),
  /** The shard's inputs against the drift baseline; left out (the manifest has it) when it does not fit. */
  drift: z.object({
    rows: Count,
    features: z.array(z.object({ n: z.string(), p: z.number().nullable(), psi: z.number().nullable() })),
  }).optional(),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

/** The summary of a run from its manifest. Pure. */
export function summaryOf(manifest: BatchManifest, manifestUri: string): BatchSummary {
  return {
    v: 1, status: manifest.status, shard: manifest.shardIndex, shards: manifest.shardCount,
    rows: manifest.rowsTotal, succeeded: manifest.rowsSucceeded, failed: manifest.rowsFailed, batches: manifest.batches,
    manifest: manifestUri, ...(manifest.error !== undefined && { error: manifest.error }),
    ...(manifest.drift !== undefined && { drift: { rows: manifest.drift.rows, features: [...manifest.drift.features] } }),
  };
}

/** The summary as one line of JSON of at most 4096 bytes: a long error is cut (ending in "..."). Pure. */
export function summaryLine(withDrift: BatchSummary): string {
  // Drift of many features may not fit the kubelet's 4096 bytes: then it is only in the manifest.
  const { drift: _drift, ...withoutDrift } = withDrift;
  const summary = Buffer.byteLength(JSON.stringify(withDrift)) <= MAX_SUMMARY_BYTES ? withDrift : withoutDrift;
  const whole = JSON.stringify(summary);
  if (Buffer.byteLength(whole) <= MAX_SUMMARY_BYTES || summary.error === undefined) return whole;
  const room = MAX_SUMMARY_BYTES - Buffer.byteLength(JSON.stringify({ ...summary, error: "..." }));
  // Each character takes at most 6 bytes in JSON ("\u001f"); cut by characters, then trim to fit.
  let error = [...summary.error].slice(0, Math.max(0, room)).join("");
  let line = JSON.stringify({ ...summary, error: `${error}...` });
  while (Buffer.byteLength(line) > MAX_SUMMARY_BYTES && error !== "") {
    const chars = [...error];
    error = chars.slice(0, Math.max(0, chars.length - Math.ceil((Buffer.byteLength(line) - MAX_SUMMARY_BYTES) / 6))).join("");
    line = JSON.stringify({ ...summary, error: `${error}...` });
  }
  return line;
}

/** The summary in a termination message, or undefined when it holds none (another message, or none at all). Pure. */
export function parseBatchSummary(text: string | undefined): BatchSummary | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = BatchSummary.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Writes the summary line to `path`; a path that cannot exist (outside a pod) is not an error. */
export async function writeBatchSummary(path: string, summary: BatchSummary): Promise<void> {
  await writeTerminationText(path, summaryLine(summary));
}

/** Writes `text` to `path`, ignoring a missing or read-only location (outside a pod). */
export async function writeTerminationText(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code !== "ENOENT" && code !== "EACCES" && code !== "EROFS") throw cause;
  }
}
