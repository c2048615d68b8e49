import assert from "node:assert/strict";
import { S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { after, before, describe, it } from "node:test";
import { isRetryableUpload, partRanges, uploadFile, type UploadOptions } from "../../../src/batch/s3-upload.ts";

const MiB = 1024 * 1024;

describe("partRanges", () => {
  it("covers the file in parts of partSize, the last one shorter", () => {
    assert.deepEqual(partRanges(25, 10), [{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 25 }]);
    assert.deepEqual(partRanges(20, 10), [{ start: 0, end: 10 }, { start: 10, end: 20 }]);
    assert.deepEqual(partRanges(0, 10), [{ start: 0, end: 0 }]);
  });
  it("grows the parts to stay within 10,000", () => {
    const ranges = partRanges(100_000 * MiB, 5 * MiB);
    assert.ok(ranges.length <= 10_000);
    assert.equal(ranges.at(-1)!.end, 100_000 * MiB);
  });
});

interface Sent { command: string; input: Record<string, unknown>; body?: Buffer }

/** Records every command; `fail(command, attempt)` returns the error to throw, if any. */
function fakeClient(fail: (command: string, attempt: number) => Error | undefined = () => undefined): { client: S3Client; sent: Sent[] } {
  const sent: Sent[] = [];
  const attempts = new Map<string, number>();
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, "");
      const { Body, ...input } = command.input;
      const key = `${name}:${String((input.PartNumber as number | undefined) ?? "")}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const body = Body === undefined ? undefined : Buffer.isBuffer(Body) ? Body : await buffer(Body as Readable);
      sent.push({ command: name, input, ...(body && { body }) });
      const error = fail(name, attempt);
      if (error !== undefined) throw error;
      if (name === "CreateMultipartUpload") return { UploadId: "u-1" };
      if (name === "UploadPart") return { ETag: `"etag-${String(input.PartNumber)}"` };
      return {};
    },
  };
  return { client: client as unknown as S3Client, sent };
}

const serverError = (status: number): S3ServiceException =>
  new S3ServiceException({ name: status === 503 ? "SlowDown" : "AccessDenied", $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message: "no" });

describe("uploadFile", () => {
  let dir: string;
  let file: string;
  const content = Buffer.from(Array.from({ length: 2_500 }, (_v, i) => i % 251));
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdo-batch-upload-"));
    file = join(dir, "part-0.jsonl");
    await writeFile(file, content);
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const options = (multipartThreshold: number): UploadOptions => ({ multipartThreshold, partSize: 1_000, retry: { tries: 3, baseDelayMs: 1 }, sleep: async () => {} });
  const target = { bucket: "out", key: "run/part-0.jsonl" };
  const signal = new AbortController().signal;

  it("puts a small file in one request, retrying a transient failure with the whole body again", async () => {
    const { client, sent } = fakeClient((command, attempt) => (command === "PutObject" && attempt === 1 ? serverError(503) : undefined));
    await uploadFile(client, target, file, options(10_000), signal);
    assert.deepEqual(sent.map((s) => s.command), ["PutObject", "PutObject"]);
    assert.deepEqual(sent[1]!.body, content);
    assert.equal(sent[1]!.input.ContentLength, content.length);
  });
  it("uploads a large file in parts streamed from the file, then completes it", async () => {
    const { client, sent } = fakeClient((command, attempt) => (command === "UploadPart" && attempt === 1 ? Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) : undefined));
    await uploadFile(client, target, file, options(1_000), signal);
    const parts = sent.filter((s) => s.command === "UploadPart");
    assert.equal(sent[0]!.command, "CreateMultipartUpload");
    assert.deepEqual(Buffer.concat(parts.filter((_p, i) => i % 2 === 1).map((p) => p.body!)), content);
    const complete = sent.at(-1)!;
    assert.equal(complete.command, "CompleteMultipartUpload");
    assert.deepEqual(complete.input.MultipartUpload, { Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"etag-${n}"` })) });
  });
  it("aborts the multipart upload when a part fails for good", async () => {
    const { client, sent } = fakeClient((command, attempt) => (command === "UploadPart" && attempt >= 1 && sent.filter((s) => s.command === "UploadPart").length > 1 ? serverError(403) : undefined));
    await assert.rejects(uploadFile(client, target, file, options(1_000), signal), S3ServiceException);
    assert.deepEqual(sent.map((s) => s.command), ["CreateMultipartUpload", "UploadPart", "UploadPart", "AbortMultipartUpload"]);
    assert.equal(sent.at(-1)!.input.UploadId, "u-1");
  });
});

describe("isRetryableUpload", () => {
  it("retries 5xx, 429 and connection failures, not 4xx", () => {
    assert.equal(isRetryableUpload(serverError(503)), true);
    assert.equal(isRetryableUpload(serverError(500)), true);
    assert.equal(isRetryableUpload(serverError(403)), false);
    assert.equal(isRetryableUpload(Object.assign(new Error("reset"), { code: "ECONNRESET" })), true);
    assert.equal(isRetryableUpload(new Error("other")), false);
  });
});
