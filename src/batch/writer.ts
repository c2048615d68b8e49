// The outputs of one shard in the output directory: part-<shard>.jsonl (one line per good row,
// input order), errors-<shard>.jsonl (one line per failed row) and manifest-<shard>.json. Each is
// written under a temporary name and renamed when complete, so readers never see half a file and
// a re-run of the shard replaces its outputs (no duplicates).
import { mkdir, open, rename, rm, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { BatchOutputError } from "./errors.ts";
import type { RowOutcome } from "./inference.ts";

export interface ShardPaths {
  readonly part: string;
  readonly errors: string;
  readonly manifest: string;
}

export function shardPaths(dir: string, shardIndex: number): ShardPaths {
  return {
    part: join(dir, `part-${shardIndex}.jsonl`),
    errors: join(dir, `errors-${shardIndex}.jsonl`),
    manifest: join(dir, `manifest-${shardIndex}.json`),
  };
}

const temporary = (path: string): string => `${path}.tmp-${process.pid}`;

/**
 * The line of an outcome: {"row":…,"id":…,"prediction":…} or {"row":…,"id":…,"error":…}, as
 * JSON.stringify of that object writes it (assembled by hand: this runs once per row).
 */
export function outcomeLine(outcome: RowOutcome): string {
  const id = typeof outcome.id === "number" ? String(outcome.id) : JSON.stringify(outcome.id);
  return outcome.ok
    ? `{"row":${outcome.row},"id":${id},"prediction":${JSON.stringify(outcome.prediction)}}`
    : `{"row":${outcome.row},"id":${id},"error":${JSON.stringify(outcome.error)}}`;
}

/** The part's and the errors file's text of `outcomes`, one line each, in one pass. */
export function outcomeTexts(outcomes: readonly RowOutcome[]): { good: string; bad: string } {
  let good = "";
  let bad = "";
  for (const outcome of outcomes) {
    if (outcome.ok) good += `${outcomeLine(outcome)}\n`;
    else bad += `${outcomeLine(outcome)}\n`;
  }
  return { good, bad };
}

export class ShardWriter {
  readonly paths: ShardPaths;
  readonly #part: FileHandle;
  readonly #errors: FileHandle;

  private constructor(paths: ShardPaths, part: FileHandle, errors: FileHandle) {
    this.paths = paths;
    this.#part = part;
    this.#errors = errors;
  }

  /** Creates the directory if needed and opens the temporary files. */
  static async open(dir: string, shardIndex: number): Promise<ShardWriter> {
    const paths = shardPaths(dir, shardIndex);
    try {
      await mkdir(dir, { recursive: true });
      const part = await open(temporary(paths.part), "w");
      const errors = await open(temporary(paths.errors), "w").catch(async (error: unknown) => {
        await part.close();
        throw error;
      });
      return new ShardWriter(paths, part, errors);
    } catch (error) {
      throw new BatchOutputError(`Cannot write to ${dir}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Appends outcomes (in input order) to the part and errors files. */
  async write(outcomes: readonly RowOutcome[]): Promise<void> {
    const { good, bad } = outcomeTexts(outcomes);
    try {
      if (good !== "") await this.#part.write(good);
      if (bad !== "") await this.#errors.write(bad);
    } catch (error) {
      throw new BatchOutputError(`Writing ${this.paths.part} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Closes and renames the files into place. */
  async commit(): Promise<void> {
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
