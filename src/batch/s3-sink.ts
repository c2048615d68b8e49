// The outputs of a shard under an s3:// prefix. The part and errors are written to temporary
// files (bounded memory, whatever the shard's size) and uploaded when complete, errors first,
// then the part; the manifest goes last. S3 replaces an object whole on each upload, so a reader
// never sees half a file and a re-run of the shard overwrites its objects.
import { S3Client } from "@aws-sdk/client-s3";
import { rm } from "node:fs/promises";
import { s3ClientConfig } from "../delivery/stores/s3.ts";
import { BatchOutputError } from "./errors.ts";
import type { RowOutcome } from "./inference.ts";
import { locationOf, type BatchLocation } from "./location.ts";
import type { OutputSink, SinkOptions } from "./sink.ts";
import { DEFAULT_RETRY, sleep } from "./retry.ts";
import { DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, putText, uploadFile, type ObjectTarget, type UploadOptions } from "./s3-upload.ts";
import { shardPaths, type ShardPaths, type ShardWriter } from "./writer.ts";

export class S3Sink implements OutputSink {
  readonly locations: ShardPaths;
  readonly #targets: { readonly part: ObjectTarget; readonly errors: ObjectTarget; readonly manifest: ObjectTarget };
  readonly #writer: ShardWriter;
  readonly #dir: string;
  readonly #client: S3Client;
  readonly #upload: UploadOptions;

  /** `writer` writes the temporary files into `dir`, which the sink deletes on close. */
  constructor(location: Extract<BatchLocation, { kind: "s3" }>, shardIndex: number, writer: ShardWriter, dir: string, options: SinkOptions) {
    const names = shardPaths("", shardIndex, writer.format);
    const target = (name: string): ObjectTarget => ({ bucket: location.bucket, key: `${location.key}${name}` });
    this.#targets = { part: target(names.part), errors: target(names.errors), manifest: target(names.manifest) };
    this.locations = { part: locationOf(location, names.part), errors: locationOf(location, names.errors), manifest: locationOf(location, names.manifest) };
    this.#writer = writer;
    this.#dir = dir;
    this.#client = new S3Client(s3ClientConfig(options.credentials, options.env));
    this.#upload = { multipartThreshold: DEFAULT_MULTIPART_THRESHOLD, partSize: DEFAULT_PART_SIZE, retry: DEFAULT_RETRY, sleep, ...options.upload };
  }

  write(outcomes: readonly RowOutcome[]): Promise<void> {
    return this.#writer.write(outcomes);
  }

  async commit(signal: AbortSignal): Promise<void> {
    await this.#writer.commit();
    await this.#put(this.locations.errors, () => uploadFile(this.#client, this.#targets.errors, this.#writer.paths.errors, this.#upload, signal));
    await this.#put(this.locations.part, () => uploadFile(this.#client, this.#targets.part, this.#writer.paths.part, this.#upload, signal));
  }

  discard(): Promise<void> {
    return this.#writer.discard();
  }

  writeManifest(text: string, signal: AbortSignal): Promise<void> {
    return this.#put(this.locations.manifest, () => putText(this.#client, this.#targets.manifest, text, this.#upload, signal));
  }

  async close(): Promise<void> {
    this.#client.destroy();
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #put(uri: string, upload: () => Promise<void>): Promise<void> {
    try {
      await upload();
    } catch (error) {
      if (error instanceof Error && error.name === "AbortError") throw error;
      throw new BatchOutputError(`Uploading ${uri} failed: ${uploadFailure(error)}`, { cause: error });
    }
  }
}

/** The store's words for a failed upload: its error code and HTTP status when it answered. */
function uploadFailure(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return status === undefined ? message : `HTTP ${status} ${message}`;
}
