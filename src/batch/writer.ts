// The outputs of one shard in the output directory: part-<shard>.jsonl or .csv (one line per good
// row, input order; part-format.ts), errors-<shard>.jsonl (one line per failed row) and
// manifest-<shard>.json. Each is written under a temporary name and renamed when complete, so
// readers never see half a file and a re-run of the shard replaces its outputs (no duplicates).
// Lines are buffered and written WRITE_BUFFER_CHARS at a time: a write per inference call cost
// the worker more CPU than the rows' JSON.
import { mkdir, open, rename, rm, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { BatchOutputError } from "./errors.ts";
import type { RowOutcome } from "./inference.ts";
import { errorLine, partEncoder, type OutputFormat, type PartEncoder } from "./part-format.ts";

export interface ShardPaths {
  readonly part: string;
  readonly errors: string;
  readonly manifest: string;
}

export function shardPaths(dir: string, shardIndex: number, format: OutputFormat): ShardPaths {
  return {
    part: join(dir, `part-${shardIndex}.${format}`),
    errors: join(dir, `errors-${shardIndex}.jsonl`),
    manifest: join(dir, `manifest-${shardIndex}.json`),
  };
}

const temporary = (path: string): string => `${path}.tmp-${process.pid}`;

/** Characters of lines held before they are written (per file). */
export const WRITE_BUFFER_CHARS = 256 * 1024;

/** The part's and the errors file's text of `outcomes`, one line each, in one pass. */
export function outcomeTexts(outcomes: readonly RowOutcome[], part: PartEncoder): { good: string; bad: string } {
  let good = "";
  let bad = "";
  for (const outcome of outcomes) {
    if (outcome.ok) good += part.encode(outcome);
    else bad += `${errorLine(outcome)}\n`;
  }
  return { good, bad };
}

export class ShardWriter {
  readonly paths: ShardPaths;
  readonly format: OutputFormat;
  readonly #part: FileHandle;
  readonly #errors: FileHandle;
  readonly #encoder: PartEncoder;
  #good = "";
  #bad = "";

  private constructor(paths: ShardPaths, part: FileHandle, errors: FileHandle, format: OutputFormat) {
    this.paths = paths;
    this.format = format;
    this.#part = part;
    this.#errors = errors;
    this.#encoder = partEncoder(format);
  }

  /** Creates the directory if needed and opens the temporary files. */
  static async open(dir: string, shardIndex: number, format: OutputFormat): Promise<ShardWriter> {
    const paths = shardPaths(dir, shardIndex, format);
    try {
      await mkdir(dir, { recursive: true });
      const part = await open(temporary(paths.part), "w");
      const errors = await open(temporary(paths.errors), "w").catch(async (error: unknown) => {
        await part.close();
        throw error;
      });
      return new ShardWriter(paths, part, errors, format);
    } catch (error) {
      throw new BatchOutputError(`Cannot write to ${dir}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Appends outcomes (in input order) to the part and errors files (buffered: see commit). */
  async write(outcomes: readonly RowOutcome[]): Promise<void> {
    const { good, bad } = outcomeTexts(outcomes, this.#encoder);
    this.#good += good;
    this.#bad += bad;
    if (this.#good.length >= WRITE_BUFFER_CHARS || this.#bad.length >= WRITE_BUFFER_CHARS) await this.#flush();
  }

  /** Writes what is buffered, closes and renames the files into place. */
  async commit(): Promise<void> {
    this.#good += this.#encoder.finish();
    await this.#flush();
    try {
      await this.#close();
      await rename(temporary(this.paths.errors), this.paths.errors);
      await rename(temporary(this.paths.part), this.paths.part);
    } catch (error) {
      throw new BatchOutputError(`Completing ${this.paths.part} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Closes and deletes the temporary files; outputs of an earlier run stay as they were. */
  async discard(): Promise<void> {
    await this.#close().catch(() => undefined);
    await rm(temporary(this.paths.part), { force: true });
    await rm(temporary(this.paths.errors), { force: true });
  }

  async #flush(): Promise<void> {
    const good = this.#good;
    const bad = this.#bad;
    this.#good = "";
    this.#bad = "";
    try {
      if (good !== "") await this.#part.write(good);
      if (bad !== "") await this.#errors.write(bad);
    } catch (error) {
      throw new BatchOutputError(`Writing ${this.paths.part} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async #close(): Promise<void> {
    await Promise.all([this.#part.close(), this.#errors.close()]);
  }
}

/** Writes `path` whole (temporary file, then rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  try {
    await writeFile(temporary(path), text);
    await rename(temporary(path), path);
  } catch (error) {
    throw new BatchOutputError(`Writing ${path} failed: ${(error as Error).message}`, { cause: error });
  }
}
