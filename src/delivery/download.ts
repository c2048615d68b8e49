// Downloads a listing into a staging directory: files in parallel, each streamed to disk while
// hashed (memory stays bounded by each file's batches, whatever the model's size), resumed from
// where it stopped when a transient failure is retried, checked against the store's size and
// digest, archives extracted. The caller renames the staging directory into place afterwards.
import { mkdir, rm, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { dirname, join } from "node:path";
import pLimit from "p-limit";
import { classifyError } from "./classify.ts";
import type { ModelDigest } from "./digest.ts";
import { treeDigest, treeEntries } from "./digest.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "./errors.ts";
import { FileSink, type SpareBatches } from "./file-sink.ts";
import { Progress } from "./progress.ts";
import type { RetryPolicy, Sleep } from "./retry.ts";
import { withRetries } from "./retry.ts";
import { isPushedBody, type ByteSink, type ModelListing, type RemoteFile } from "./store.ts";
import { unpackArchive } from "./unpack.ts";

export interface DownloadOptions {
  readonly signal: AbortSignal;
  /** Files downloaded at once (default 8). */
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly sleep?: Sleep;
  readonly log: (message: string) => void;
  readonly now?: () => number;
  /** Archives are downloaded here before they are extracted (default: `<staging>.archives`). */
  readonly archiveDir?: string;
}

export interface Downloaded {
  /** The model's digest by the rule of digest.ts: the single file's bytes, or the tree. */
  readonly digest: ModelDigest;
  readonly files: number;
  readonly bytes: number;
}

/** Throws DeliveryError(InvalidModelURI) for paths that are empty, absolute or contain "." / "..". */
export function checkRelativePath(path: string): void {
  const segments = path.split("/");
  if (path === "" || path.startsWith("/") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new DeliveryError(R.InvalidUri, `the store names a file "${path}" that is not a plain relative path; refusing to write it`);
  }
}

/** Downloads `listing` into `staging` (which must exist and be empty). */
export async function downloadListing(listing: ModelListing, staging: string, options: DownloadOptions): Promise<Downloaded> {
  const { files } = listing;
  if (files.length === 0) throw new DeliveryError(R.NotFound, "the URI names no files");
  for (const f of files) checkRelativePath(f.path);
  const sizes = files.map((f) => f.size);
  const total = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a + b, 0) : undefined;
  const progress = new Progress({ files: files.length, bytes: total }, options.log, options.now);
  const archiveDir = options.archiveDir ?? `${staging}.archives`;
  const failed = new AbortController();
  const signal = AbortSignal.any([options.signal, failed.signal]);
  const limit = pLimit(options.concurrency ?? 8);
  const hashes = new Map<string, string>();
  let unpacked = false;
  const spare: SpareBatches = [];
  // Every task settles before the caller may delete the staging directory; the first failure
  // aborts the others (those not started yet do not start) and is the one thrown.
  const results = await Promise.allSettled(
    files.map((file, index) =>
      limit(async () => {
        signal.throwIfAborted();
        try {
          const unpack = file.unpack ?? "none";
          const target = unpack === "none" ? join(staging, file.path) : join(archiveDir, `archive-${index}`);
          const sha256 = await downloadFile(file, target, spare, progress, { ...options, signal });
          hashes.set(file.path, sha256);
          if (unpack !== "none") {
            await unpackArchive(target, unpack, staging, file.path, signal);
            await rm(target, { force: true });
            unpacked = true;
          }
          progress.fileDone();
        } catch (error) {
          if (!failed.signal.aborted) failed.abort(error);
          throw error;
        }
      }),
    ),
  );
  await rm(archiveDir, { recursive: true, force: true });
  if (results.some((r) => r.status === "rejected")) throw failed.signal.aborted ? failed.signal.reason : options.signal.reason;
  progress.report();
  const [single] = files;
  const digest: ModelDigest =
    listing.shape === "file" && single !== undefined
      ? `sha256:${hashes.get(single.path) ?? ""}`
      : unpacked
        ? treeDigest(await treeEntries(staging, options.signal))
        : treeDigest(files.map((f) => ({ path: f.path, sha256: hashes.get(f.path) ?? "" })));
  return { digest, files: files.length, bytes: progress.downloadedBytes };
}

/** Streams one file to `target`, retrying transient failures from where it stopped. Returns its sha256 (hex). */
async function downloadFile(file: RemoteFile, target: string, spare: SpareBatches, progress: Progress, options: DownloadOptions): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const what = `downloading ${file.path}`;
  let counted = 0;
  return withRetries(
    async (attempt) => {
      // A retry resumes after what reached the disk (hashed again by the sink); bytes counted
      // beyond it will be counted again.
      const sink = await FileSink.open(target, attempt > 1, options.signal, spare).catch((error: unknown) => {
        throw classifyError(error, what);
      });
      progress.forgetBytes(counted - sink.offset);
      counted = sink.offset;
      const counting: ByteSink = {
        write: (bytes) => {
          counted += bytes.length;
          progress.addBytes(bytes.length);
          return sink.write(bytes);
        },
      };
      try {
        await pump(await file.open(options.signal, sink.offset), counting);
      } catch (error) {
        // The read (or a write) failed: what arrived is written out so the retry resumes after
        // it. A write failing again now (a full disk) is reported by the retry, which opens the
        // same file first.
        await sink.abandon().catch(() => undefined);
        throw classifyError(error, what);
      }
      const sha256 = await sink.finish().catch((error: unknown) => {
        throw classifyError(error, what);
      });
      const size = (await stat(target)).size;
      if (file.size !== undefined && size !== file.size) {
        throw new DeliveryError(R.Unreachable, `the store sent ${size} bytes of ${file.path}, which has ${file.size}`, { retryable: true });
      }
      if (file.digest !== undefined && file.digest !== `sha256:${sha256}`) {
        throw new DeliveryError(R.DigestMismatch, `${file.path} has digest sha256:${sha256}, but the store lists ${file.digest}`);
      }
      return sha256;
    },
    {
      signal: options.signal,
      ...(options.retry && { policy: options.retry }),
      ...(options.sleep && { sleep: options.sleep }),
      onRetry: (error, delayMs) => options.log(`Retrying ${file.path} in ${delayMs} ms: ${error.message}`),
    },
  );
}

/** Moves every byte of `body` into `sink`: pushed without copies when the body can, else read chunk by chunk. */
async function pump(body: Readable, sink: ByteSink): Promise<void> {
  if (isPushedBody(body)) return body.pipeInto(sink);
  for await (const chunk of body) {
    const wait = sink.write(chunk as Uint8Array);
    if (wait !== undefined) await wait;
  }
}
