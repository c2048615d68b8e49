// The outputs of one shard in the output directory: part-<shard>.jsonl or .csv (one line per good
// row, input order; part-format.ts), errors-<shard>.jsonl (one line per failed row) and
// manifest-<shard>.json. Each is written under a temporary name and renamed when complete, so
// readers never see half a file and a re-run of the shard replaces its outputs (no duplicates).
// Lines go through a BufferedFile each (buffered-file.ts): a write per inference call cost the
// worker more CPU than the rows' JSON.
import { mkdir, open, rename, rm, writeFile, type FileHandle } from "node:fs/promises";
import { BufferedFile } from "./buffered-file.ts";
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
  readonly #part: BufferedFile;
  readonly #errors: BufferedFile;
  readonly #encoder: PartEncoder;

  private constructor(paths: ShardPaths, part: FileHandle, errors: FileHandle, format: OutputFormat) {
    this.paths = paths;
    this.format = format;
    this.#part = new BufferedFile(part);
    this.#errors = new BufferedFile(errors);
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

  /** Appends outcomes (in input order) to the part and errors files (buffered until commit). */
  async write(outcomes: readonly RowOutcome[]): Promise<void> {
    const { good, bad } = outcomeTexts(outcomes, this.#encoder);
    try {
      await this.#part.append(good);
      await this.#errors.append(bad);
    } catch (error) {
      throw new BatchOutputError(`Writing ${this.paths.part} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Writes what is buffered, closes and renames the files into place. */
  async commit(): Promise<void> {
    try {
      await this.#part.append(this.#encoder.finish());
      await this.#part.flush();
      await this.#errors.flush();
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
