// Where a shard's outputs go (part, errors, manifest), behind one interface so the run does not
// care whether that is a local directory (this file) or an object store (s3-sink.ts). Either way
// a reader never sees half an output, the manifest comes last, and a re-run of the shard
// replaces its outputs.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BatchOutputError } from "./errors.ts";
import type { RowOutcome } from "./inference.ts";
import type { BatchLocation } from "./location.ts";
import type { OutputFormat } from "./part-format.ts";
import type { OutputSink, SinkOptions } from "./sink.ts";
import { ShardWriter, writeFileAtomic, type ShardPaths } from "./writer.ts";

export type { OutputSink, SinkOptions } from "./sink.ts";

/** Opens the sink of `location`. Throws BatchOutputError when it cannot be written. */
export async function openOutputSink(location: BatchLocation, shardIndex: number, format: OutputFormat, options: SinkOptions): Promise<OutputSink> {
  if (location.kind === "local") return new LocalDirectorySink(await ShardWriter.open(location.path, shardIndex, format));
  let dir: string;
  try {
    dir = await mkdtemp(join(options.workDir ?? tmpdir(), `mdo-batch-${shardIndex}-`));
  } catch (error) {
    throw new BatchOutputError(`Cannot create a temporary directory under ${options.workDir ?? tmpdir()}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const writer = await ShardWriter.open(dir, shardIndex, format);
    const { S3Sink } = await import("./s3-sink.ts");
    return new S3Sink(location, shardIndex, writer, dir, options);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The outputs as files of a local directory, renamed into place when complete. */
class LocalDirectorySink implements OutputSink {
  readonly locations: ShardPaths;
  readonly #writer: ShardWriter;

  constructor(writer: ShardWriter) {
    this.#writer = writer;
    this.locations = writer.paths;
  }

  write(outcomes: readonly RowOutcome[]): Promise<void> {
    return this.#writer.write(outcomes);
  }

  commit(): Promise<void> {
    return this.#writer.commit();
  }

  discard(): Promise<void> {
    return this.#writer.discard();
  }

  writeManifest(text: string): Promise<void> {
    return writeFileAtomic(this.locations.manifest, text);
  }

  async close(): Promise<void> {}
}
