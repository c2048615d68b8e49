// Uploading one local file to S3 so that the object appears only whole: a PutObject streamed from
// the file up to `multipartThreshold` bytes, above it a multipart upload whose parts are streamed
// from the file one at a time (the object exists only once CompleteMultipartUpload succeeds; a
// failure aborts the upload). Memory stays bounded by the SDK's stream buffers whatever the size.
// Each request is retried on transient failures with a fresh stream of its bytes.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, S3ServiceException, UploadPartCommand,
  type CompletedPart, type S3Client,
} from "@aws-sdk/client-s3";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { isRetryableRead } from "./input-source.ts";
import { withRetry, type RetryPolicy, type Sleep } from "./retry.ts";

const MiB = 1024 * 1024;

export interface UploadOptions {
  /** Files larger than this (bytes) go up in parts. */
  readonly multipartThreshold: number;
  /** Bytes per part (S3 wants at least 5 MiB but for the last part; at most 10,000 parts). */
  readonly partSize: number;
  readonly retry: RetryPolicy;
  readonly sleep: Sleep;
}

export const DEFAULT_MULTIPART_THRESHOLD = 64 * MiB;
export const DEFAULT_PART_SIZE = 16 * MiB;
const MAX_PARTS = 10_000;

export interface ObjectTarget {
  readonly bucket: string;
  readonly key: string;
}

/** The byte ranges [start, end) of a file of `size` bytes in parts of at least `partSize` (fewer than 10,000). Pure. */
export function partRanges(size: number, partSize: number): { start: number; end: number }[] {
  const length = Math.max(partSize, Math.ceil(size / MAX_PARTS));
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < size || ranges.length === 0; start += length) ranges.push({ start, end: Math.min(size, start + length) });
  return ranges;
}

/** Uploads the file at `path` to `target`, replacing the object. Throws the store's error (the caller wraps it). */
export async function uploadFile(client: S3Client, target: ObjectTarget, path: string, options: UploadOptions, signal: AbortSignal): Promise<void> {
  const { size } = await stat(path);
  const retried = <T>(call: () => Promise<T>): Promise<T> => withRetry(call, options.retry, options.sleep, signal, isRetryableUpload);
  if (size <= options.multipartThreshold) {
    await retried(() => client.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: createReadStream(path), ContentLength: size }), { abortSignal: signal }));
    return;
  }
  const created = await retried(() => client.send(new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key }), { abortSignal: signal }));
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error(`CreateMultipartUpload of s3://${target.bucket}/${target.key} returned no upload id`);
  try {
    const parts: CompletedPart[] = [];
    for (const [i, range] of partRanges(size, options.partSize).entries()) {
      const part = await retried(() => client.send(new UploadPartCommand({
        Bucket: target.bucket, Key: target.key, UploadId: uploadId, PartNumber: i + 1,
        Body: createReadStream(path, { start: range.start, end: range.end - 1 }), ContentLength: range.end - range.start,
      }), { abortSignal: signal }));
      parts.push({ PartNumber: i + 1, ETag: part.ETag, ...(part.ChecksumCRC32 !== undefined && { ChecksumCRC32: part.ChecksumCRC32 }) });
    }
    await retried(() => client.send(new CompleteMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }), { abortSignal: signal }));
  } catch (error) {
    // Parts of an abandoned upload are stored (and billed) until aborted; the run's error is what is reported.
    await client.send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId }), { abortSignal: AbortSignal.timeout(30_000) }).catch(() => undefined);
    throw error;
  }
}

/** Writes `text` as the object `target`, replacing it. */
export async function putText(client: S3Client, target: ObjectTarget, text: string, options: UploadOptions, signal: AbortSignal): Promise<void> {
  const body = Buffer.from(text);
  await withRetry(
    () => client.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: body, ContentLength: body.length, ContentType: "application/json" }), { abortSignal: signal }),
    options.retry, options.sleep, signal, isRetryableUpload,
  );
}

/** Whether an upload request may pass when made again: 5xx, 408, 429, and connection failures. */
export function isRetryableUpload(error: unknown): boolean {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode ?? 0;
    if (status > 0) return status === 408 || status === 429 || status >= 500;
  }
  return isRetryableRead(error);
}
