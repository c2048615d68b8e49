// The bytes of --input: a local file, one S3 object, or every object under an S3 prefix whose
// name has the format's extension, in key order. Objects are opened one at a time, when the
// reader gets to them, and streamed. A read that breaks off with a transient failure (a reset, or
// the store's idle timeout while the run waits for the model server) resumes at the byte where
// it stopped.
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { classifyError } from "../delivery/classify.ts";
import { DeliveryError } from "../delivery/errors.ts";
import type { ModelListing, StorageCredentials } from "../delivery/store.ts";
import { BatchInputError } from "./errors.ts";
import type { BatchLocation } from "./location.ts";
import { formatOf, type InputFormat } from "./input-format.ts";
import { withRetry, type RetryPolicy, type Sleep } from "./retry.ts";

/** One object (or file) of the input. */
export interface InputObject {
  /** Its path or URI, for messages. */
  readonly name: string;
  /** Its size in bytes when known: a read that ends short of it fails. */
  readonly size?: number;
  /** Its bytes from `offset`. */
  open(signal: AbortSignal, offset: number): Promise<Readable>;
}

/** One object's bytes, as the reader takes them. */
export interface InputText {
  readonly name: string;
  readonly bytes: Readable;
}

export interface InputPlan {
  readonly format: InputFormat;
  readonly objects: readonly InputObject[];
}

export interface InputAccess {
  readonly credentials: StorageCredentials;
  readonly env: NodeJS.ProcessEnv;
  readonly retry: RetryPolicy;
  readonly sleep: Sleep;
}

/**
 * The objects of a prefix listing that the run reads: those whose name has the format's
 * extension, in key order (bytewise, as S3 lists). Without `format` the objects' extensions
 * decide, and must agree. Pure. Throws BatchInputError when none is left.
 */
export function selectObjects<T extends { readonly name: string }>(objects: readonly T[], format: InputFormat | undefined, where: string): { format: InputFormat; objects: T[] } {
  let chosen = format;
  if (chosen === undefined) {
    const formats = new Set(objects.map((o) => formatOf(o.name)).filter((f) => f !== undefined));
    if (formats.size > 1) throw new BatchInputError(`${where} holds both CSV and JSON Lines objects; pass --format to choose`);
    [chosen] = formats;
    if (chosen === undefined) throw new BatchInputError(`${where} holds no .jsonl, .ndjson or .csv object`);
  }
  const selected = objects.filter((o) => formatOf(o.name) === chosen).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  if (selected.length === 0) throw new BatchInputError(`${where} holds no ${chosen === "csv" ? ".csv" : ".jsonl or .ndjson"} object`);
  return { format: chosen, objects: selected };
}

/** Lists what `location` names. `format` is undefined only for a prefix without --format. */
export async function planInput(location: BatchLocation, format: InputFormat | undefined, access: InputAccess, signal: AbortSignal): Promise<InputPlan> {
  if (location.kind === "local") {
    if (format === undefined) throw new BatchInputError(`Cannot tell the format of ${location.path}`);
    return { format, objects: [localFile(location.path)] };
  }
  const { S3Store } = await import("../delivery/stores/s3.ts");
  const base = `s3://${location.bucket}/`;
  const uri = `${base}${location.key}`;
  const store = new S3Store({ bucket: location.bucket, key: location.key.replace(/\/+$/, "") }, access.credentials, access.env);
  let listing: ModelListing;
  try {
    listing = await withRetry(() => store.list(signal), access.retry, access.sleep, signal, isRetryableRead);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new BatchInputError(`Cannot list ${uri}: ${(error as Error).message}`, { cause: error });
  }
  if (!location.prefix) {
    const [file] = listing.files;
    if (listing.shape !== "file" || file === undefined) throw new BatchInputError(`${uri} is not an object; end the URI with / to read the objects under it`);
    if (format === undefined) throw new BatchInputError(`Cannot tell the format of ${uri}`);
    return { format, objects: [{ name: uri, ...(file.size !== undefined && { size: file.size }), open: (s, offset) => file.open(s, offset) }] };
  }
  if (listing.shape !== "tree") throw new BatchInputError(`${uri} names no prefix: s3://${location.bucket}/${location.key.replace(/\/+$/, "")} is an object`);
  const objects = listing.files.map((file) => ({ name: `${uri}${file.path}`, ...(file.size !== undefined && { size: file.size }), open: (s: AbortSignal, offset: number) => file.open(s, offset) }));
  return selectObjects(objects, format, uri);
}

function localFile(path: string): InputObject {
  return {
    name: path,
    open: async (signal, offset) => {
      try {
        const handle = await open(path, "r");
        return handle.createReadStream({ start: offset, signal }); // closes the handle when done or destroyed
      } catch (error) {
        throw new BatchInputError(`Cannot open ${path}: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

/** The objects' bytes, one object at a time, each opened when the reader first reads from it. */
export function* inputTexts(plan: InputPlan, access: InputAccess, signal: AbortSignal): Generator<InputText> {
  for (const object of plan.objects) yield { name: object.name, bytes: Readable.from(objectBytes(object, access, signal), { objectMode: false }) };
}

/** An object's bytes; a transient failure reopens it where it stopped (`retry.tries` failures in a row end the read). */
async function* objectBytes(object: InputObject, access: InputAccess, signal: AbortSignal): AsyncGenerator<Buffer> {
  let offset = 0;
  let failures = 0;
  for (;;) {
    let body: Readable | undefined;
    try {
      body = await object.open(signal, offset);
      for await (const chunk of body as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        if (bytes.length === 0) continue;
        offset += bytes.length;
        failures = 0; // progress: the failures that count are those in a row
        yield bytes;
      }
      break;
    } catch (error) {
      if (signal.aborted || error instanceof BatchInputError) throw error;
      failures++;
      if (!isRetryableRead(error) || failures >= access.retry.tries) {
        throw new BatchInputError(`Reading ${object.name} failed at byte ${offset}: ${(error as Error).message}`, { cause: error });
      }
      await access.sleep(access.retry.baseDelayMs * 2 ** (failures - 1), signal);
    } finally {
      body?.destroy();
    }
  }
  if (object.size !== undefined && offset !== object.size) throw new BatchInputError(`${object.name} ended after ${offset} of its ${object.size} bytes`);
}

/** Whether a store's failure may pass when the call is made again (connection failures, 5xx, throttling). */
export function isRetryableRead(error: unknown): boolean {
  const classified = classifyError(error, "reading");
  return classified instanceof DeliveryError && classified.retryable;
}
