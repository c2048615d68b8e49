// Reading request bodies under the size limit. Bytes are counted as they arrive: a missing or
// false Content-Length cannot smuggle a larger body past the limit.
import type { IncomingMessage } from "node:http";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { ClientGoneError, PayloadTooLargeError } from "./errors.ts";

/**
 * Reads the whole body. Rejects with PayloadTooLargeError as soon as more than `maxBytes`
 * arrived (the rest is left unread: the caller answers 413 and closes the connection), and with
 * ClientGoneError if the client aborts.
 */
export function readBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("close", onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        stream.pause();
        reject(new PayloadTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new ClientGoneError("Client aborted the request body", { cause: error }));
    };
    const onClose = (): void => {
      cleanup();
      reject(new ClientGoneError("Client closed the connection before the request body ended"));
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onError);
    stream.once("close", onClose);
  });
}

/**
 * Reads a body whose Content-Length (`declared`, at most `maxBytes`) is known. A small body
 * usually arrives in the same socket read as the headers, and the parser has buffered it once
 * that read is processed (a microtask later): it is then taken synchronously, without the
 * stream's event round trips. Otherwise, and with the same rejections, as readBody.
 */
export async function readDeclaredBody(req: IncomingMessage, declared: number, maxBytes: number): Promise<Buffer> {
  await Promise.resolve();
  if (req.readableLength === declared && req.readableFlowing !== true && declared <= maxBytes) {
    const body: unknown = req.read();
    if (Buffer.isBuffer(body) && body.length === declared) return body;
  }
  return readBody(req, maxBytes);
}

/**
 * A pass-through that counts bytes and fails with PayloadTooLargeError past `maxBytes`; `tap`
 * sees every chunk (payload logging). Used when the body streams to the model server.
 */
export class ByteLimit extends Transform {
  bytes = 0;
  private readonly maxBytes: number;
  private readonly tap: ((chunk: Buffer) => void) | undefined;

  constructor(maxBytes: number, tap?: (chunk: Buffer) => void) {
    super();
    this.maxBytes = maxBytes;
    this.tap = tap;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new PayloadTooLargeError(this.maxBytes));
      return;
    }
    this.tap?.(chunk);
    callback(null, chunk);
  }
}
