// Where a downloaded body goes: every byte is hashed and written to one file, in 1 MiB batches
// taken from a small pool, so memory stays bounded however large the model, and the bytes a
// body hands over can live in a buffer it reuses (stores/raw-body.ts).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open, stat } from "node:fs/promises";
import type { ByteSink } from "./store.ts";

const BATCH_BYTES = 512 * 1024;
/** Batches per file: one being filled while the others are written. */
const POOL = 3;
/** Spare batches kept for the next files (more are left to the garbage collector). */
const MAX_SPARE = 32;

/** Batches that closed files handed back, for the files opened after them (one per download). */
export type SpareBatches = Buffer[];

export class FileSink implements ByteSink {
  /** Bytes that were in the file when it was opened (0 unless resumed). */
  readonly offset: number;
  private readonly handle: FileHandle;
  private readonly hash = createHash("sha256");
  private readonly free: Buffer[] = [];
  private current: Buffer | undefined;
  private filled = 0;
  private allocated = 0;
  /** The writes queued so far, in order; never rejects (failures land in `failure`). */
  private written: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private readonly spare: SpareBatches;

  private constructor(handle: FileHandle, offset: number, hash: ReturnType<typeof createHash> | undefined, spare: SpareBatches) {
    this.handle = handle;
    this.offset = offset;
    this.spare = spare;
    if (hash !== undefined) this.hash = hash;
  }

  /**
   * Opens `path` for writing: truncated, or with `resume` after the bytes already in it (which
   * are hashed first, so `finish` says the digest of the whole file). Batches come from and go
   * back to `spare`.
   */
  static async open(path: string, resume: boolean, signal: AbortSignal, spare: SpareBatches = []): Promise<FileSink> {
    if (!resume) return new FileSink(await open(path, "w"), 0, undefined, spare);
    const offset = await stat(path).then((s) => s.size, () => 0);
    const hash = createHash("sha256");
    if (offset > 0) for await (const chunk of createReadStream(path, { signal, end: offset - 1 })) hash.update(chunk as Buffer);
    return new FileSink(await open(path, "a"), offset, hash, spare);
  }

  write(bytes: Uint8Array): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    this.hash.update(bytes);
    for (let from = 0; from < bytes.length; ) {
      // Past the pool only when one write spans more than the free batches (a large chunk from
      // an iterable body): bounded by that chunk, and the caller waits before the next one.
      this.current ??= this.free.pop() ?? this.allocate();
      const n = Math.min(bytes.length - from, BATCH_BYTES - this.filled);
      this.current.set(bytes.subarray(from, from + n), this.filled);
      this.filled += n;
      from += n;
      if (this.filled === BATCH_BYTES) this.send();
    }
    return this.free.length === 0 && this.allocated >= POOL ? this.batchFreed() : undefined;
  }

  /** Writes what is batched, closes the file and resolves with the sha256 (hex) of all its bytes. */
  async finish(): Promise<string> {
    await this.close();
    return this.hash.digest("hex");
  }

  /** Writes what is batched and closes the file (after a failed read: a retry resumes after it). */
  async abandon(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    this.send();
    await this.written;
    const current = this.current;
    this.current = undefined;
    if (current !== undefined) this.free.push(current);
    this.spare.push(...this.free.splice(0, Math.max(0, MAX_SPARE - this.spare.length)));
    await this.handle.close();
    if (this.failure !== undefined) throw this.failure;
  }

  private allocate(): Buffer {
    this.allocated++;
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
  }

  private send(): void {
    const batch = this.current;
    const length = this.filled;
    if (batch === undefined || length === 0) return;
    this.current = undefined;
    this.filled = 0;
    this.written = this.written.then(async () => {
      try {
        if (this.failure === undefined) {
          for (let done = 0; done < length; ) done += (await this.handle.write(batch, done, length - done)).bytesWritten;
        }
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
      if (this.free.length < POOL) this.free.push(batch);
      const waiters = this.waiters.splice(0);
      for (const w of waiters) {
        if (this.failure === undefined) w.resolve();
        else w.reject(this.failure);
      }
    });
  }

  private batchFreed(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}
