// Appending text to a file through one reused, off-heap buffer: lines are encoded into it and
// written when it is full, so a shard costs a write per WRITE_BUFFER_BYTES, not one per
// inference call, and buffered text never sits on the JavaScript heap (where the young
// generation's scavenges would copy it again and again).
import type { FileHandle } from "node:fs/promises";

export const WRITE_BUFFER_BYTES = 256 * 1024;

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

/** A file written front to back. Calls must not overlap: await each before the next. */
export class BufferedFile {
  readonly #handle: FileHandle;
  readonly #buffer: Buffer;
  #used = 0;

  constructor(handle: FileHandle, size: number = WRITE_BUFFER_BYTES) {
    this.#handle = handle;
    this.#buffer = Buffer.allocUnsafe(size);
  }

  /** Appends `text` (UTF-8); writes the buffer out first when `text` might not fit in what is left. */
  async append(text: string): Promise<void> {
    if (text === "") return;
    const room = this.#buffer.length - this.#used;
    if (text.length * MAX_BYTES_PER_UNIT > room) {
      await this.flush();
      if (text.length * MAX_BYTES_PER_UNIT > this.#buffer.length) return this.#writeAll(Buffer.from(text, "utf8"));
    }
    this.#used += this.#buffer.write(text, this.#used, "utf8");
  }

  /** Writes out what is buffered. */
  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const used = this.#used;
    this.#used = 0;
    await this.#writeAll(this.#buffer.subarray(0, used));
  }

  /** Closes the file, dropping what was not flushed. */
  close(): Promise<void> {
    return this.#handle.close();
  }

  async #writeAll(bytes: Buffer): Promise<void> {
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await this.#handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }
}
