// Downloading one blob, from a byte offset. GET /v2/<repository>/blobs/<digest> — registries
// often redirect it to object storage, which the transport follows without the Authorization —
// with Range: bytes=<offset>- when resuming. A server that ignores the range (200 instead of 206)
// still works: the first <offset> bytes are read and dropped, as containerd does, so a retry
// always resumes correctly (at the cost of downloading the prefix again) instead of failing
// forever against a registry that cannot do ranges.
import { Readable, Transform } from "node:stream";
import { classifyError } from "../../classify.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../../errors.ts";
import type { RegistryClient } from "./registry-client.ts";
import { headerValue, type ResponseBody } from "./transport.ts";

/** The first byte position of a Content-Range ("bytes 100-199/200" → 100), or undefined. Pure. */
export function contentRangeStart(header: string | undefined): number | undefined {
  const match = /^bytes\s+(\d+)-\d+\/(?:\d+|\*)$/i.exec(header?.trim() ?? "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * How many leading bytes of a response to drop so that it starts at `offset`: 0 for a 206 from
 * `offset`, `offset` for a 200 (range ignored), the difference for a 206 starting earlier.
 * Undefined when the response cannot serve `offset` (a 206 starting later or without a
 * parseable Content-Range). Pure.
 */
export function bytesToSkip(status: number, contentRange: string | undefined, offset: number): number | undefined {
  if (offset === 0 || status === 200) return offset;
  if (status !== 206) return undefined;
  const start = contentRangeStart(contentRange);
  return start === undefined || start > offset ? undefined : offset - start;
}

/**
 * `body` from its `skip`th byte, with failures while streaming turned into DeliveryErrors
 * (connection resets retryable; aborts unchanged). Destroying the result releases the body.
 */
function streamFrom(body: ResponseBody, skip: number, what: string): Readable {
  let remaining = skip;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (remaining >= chunk.length) {
        remaining -= chunk.length;
        done();
        return;
      }
      const rest = remaining === 0 ? chunk : chunk.subarray(remaining);
      remaining = 0;
      done(null, rest);
    },
  });
  body.on("error", (error) => out.destroy(classifyError(error, what)));
  out.on("close", () => {
    if (!body.destroyed) body.destroy();
  });
  body.pipe(out);
  return out;
}

/** The blob to open: its digest and size from the manifest, and how to name it in messages. */
export interface BlobTarget {
  readonly digest: string;
  readonly size: number;
  /** E.g. "layer model.joblib (sha256:…) of r/m:v1". */
  readonly subject: string;
}

/**
 * Opens `blob` from byte `offset`. Throws DeliveryError: Failed for an offset outside the blob
 * or a range the server cannot serve, else as RegistryClient.get (NotFound, AccessDenied,
 * Unreachable…). The stream's bytes are not verified here: the downloader checks the digest.
 */
export async function openBlob(client: RegistryClient, blob: BlobTarget, offset: number, signal: AbortSignal): Promise<Readable> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > blob.size) {
    throw new DeliveryError(R.Failed, `cannot read ${blob.subject} from byte ${offset}: it has ${blob.size} bytes`);
  }
  if (offset > 0 && offset === blob.size) return Readable.from([]);
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  const response = await client.get(`blobs/${blob.digest}`, headers, blob.subject, signal);
  const skip = bytesToSkip(response.status, headerValue(response.headers, "content-range"), offset);
  if (skip === undefined) {
    response.body.destroy();
    throw new DeliveryError(R.Failed, `${response.url.host} answered ${response.status} (Content-Range ${headerValue(response.headers, "content-range") ?? "missing"}) when ${blob.subject} was asked for from byte ${offset}`);
  }
  return streamFrom(response.body, skip, `downloading ${blob.subject}`);
}
