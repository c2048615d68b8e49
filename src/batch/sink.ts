// The interface of a shard's outputs (part, errors, manifest), apart from its implementations
// (output-sink.ts: a local directory; s3-sink.ts: an object store).
import type { StorageCredentials } from "../delivery/store.ts";
import type { RowOutcome } from "./inference.ts";
import type { UploadOptions } from "./s3-upload.ts";
import type { ShardPaths } from "./writer.ts";

export interface OutputSink {
  /** The paths or URIs of the part, errors and manifest, for the manifest and the summary. */
  readonly locations: ShardPaths;
  /** Appends outcomes (in input order) to the part and errors. */
  write(outcomes: readonly RowOutcome[]): Promise<void>;
  /** Puts the errors, then the part, in place whole. */
  commit(signal: AbortSignal): Promise<void>;
  /** Drops what was written; outputs of an earlier run stay as they were. */
  discard(): Promise<void>;
  /** Puts the manifest in place whole; called last. */
  writeManifest(text: string, signal: AbortSignal): Promise<void>;
  /** Releases temporary files and connections. */
  close(): Promise<void>;
}

export interface SinkOptions {
  readonly credentials: StorageCredentials;
  readonly env: NodeJS.ProcessEnv;
  /** Where an object-store sink keeps its temporary files (default: the OS temporary directory). */
  readonly workDir: string | undefined;
  readonly upload?: Partial<UploadOptions>;
}
