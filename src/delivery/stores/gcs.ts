// gs:// models through the Google Cloud Storage client: one object, or every object under a prefix.
//
// Credentials: the storage Secret's `service-account.json` (a service-account key), else the
// client's Application Default Credentials (GKE workload identity, GOOGLE_APPLICATION_CREDENTIALS).
// The Secret key STORAGE_EMULATOR_HOST (http://host:port) points the client at another endpoint,
// such as fake-gcs-server; the client then sends no credentials. The environment variable of
// that name is left to the client library, which takes it as the full API base URL
// (http://host:port/storage/v1) — a different meaning, so it is not read here.
import { ApiError, Storage } from "@google-cloud/storage";
import type { File, StorageOptions } from "@google-cloud/storage";
import { posix } from "node:path";
import { Readable } from "node:stream";
import { classifyError } from "../classify.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import { CredentialKeys } from "../store.ts";
import type { ModelListing, ModelStore, RemoteFile, StorageCredentials } from "../store.ts";
import { unpackFor } from "../unpack.ts";
import { httpFailure } from "./http-status.ts";

/** The client options for `credentials`. Throws ModelAccessDenied for a key that is not JSON. */
export function gcsClientOptions(credentials: StorageCredentials): StorageOptions {
  const endpoint = credentials.get("STORAGE_EMULATOR_HOST")?.trim().replace(/\/+$/, "").replace(/\/storage\/v1$/, "");
  const key = credentials.get(CredentialKeys.gcsServiceAccount);
  let parsed: StorageOptions["credentials"];
  if (key !== undefined) {
    try {
      parsed = JSON.parse(key) as StorageOptions["credentials"];
    } catch {
      // No cause: JSON.parse's message quotes the text, which is a private key.
      throw new DeliveryError(R.AccessDenied, `${CredentialKeys.gcsServiceAccount} in Secret ${credentials.secretName ?? ""} is not JSON`);
    }
  }
  return {
    ...(endpoint && { apiEndpoint: endpoint }),
    ...(parsed && { credentials: parsed }),
    // The downloader retries (and resumes).
    retryOptions: { autoRetry: false },
  };
}

export class GcsStore implements ModelStore {
  private readonly storage: Storage;
  private readonly bucket: string;
  private readonly key: string;
  private readonly credentials: StorageCredentials;

  constructor(location: { bucket: string; key: string }, credentials: StorageCredentials) {
    this.bucket = location.bucket;
    this.key = location.key;
    this.credentials = credentials;
    this.storage = new Storage(gcsClientOptions(credentials));
  }

  /** The object `key` when it exists, else every object under `key/` (directory markers skipped). */
  async list(signal: AbortSignal): Promise<ModelListing> {
    const bucket = this.storage.bucket(this.bucket);
    if (this.key !== "") {
      const object = bucket.file(this.key);
      const metadata = await this.call(`gs://${this.bucket}/${this.key}`, signal, async () => (await object.getMetadata())[0]).catch((error: unknown) => {
        if (error instanceof DeliveryError && error.reason === R.NotFound) return undefined;
        throw error;
      });
      if (metadata !== undefined) {
        const name = posix.basename(this.key);
        return { shape: "file", files: [this.file(object, name, Number(metadata.size), unpackFor(name))] };
      }
    }
    const prefix = this.key === "" ? "" : `${this.key}/`;
    const [objects] = await this.call(`gs://${this.bucket}/${prefix}`, signal, () => bucket.getFiles({ prefix, autoPaginate: true }));
    const files = objects.filter((o) => !o.name.endsWith("/")).map((o) => this.file(o, o.name.slice(prefix.length), Number(o.metadata.size), "none"));
    if (files.length === 0) {
      throw new DeliveryError(R.NotFound, `gs://${this.bucket}${this.key === "" ? "" : `/${this.key}`} names no object and no objects are under it`);
    }
    return { shape: "tree", files };
  }

  private file(object: File, path: string, size: number, unpack: RemoteFile["unpack"]): RemoteFile {
    const what = `gs://${this.bucket}/${object.name}`;
    return {
      path,
      ...(Number.isFinite(size) && { size }),
      ...(unpack && { unpack }),
      open: (signal, offset = 0) =>
        this.call(what, signal, () => {
          // Integrity is the downloader's (size and digest): the client's own hash check would
          // not cover a resumed download.
          const stream: Readable = object.createReadStream({ validation: false, ...(offset > 0 && { start: offset }) });
          signal.addEventListener("abort", () => stream.destroy(signal.reason as Error), { once: true });
          // The request starts when the stream is first read, so a 404 or 403 arrives as a stream
          // error: map it where it surfaces.
          return Promise.resolve(Readable.from(this.mapErrors(what, stream)));
        }),
    };
  }

  private async *mapErrors(what: string, stream: Readable): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      throw this.failure(what, error);
    }
  }

  /** Runs one client call, turning its failures into DeliveryErrors about `what`. */
  private async call<T>(what: string, signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    try {
      return await send();
    } catch (error) {
      throw this.failure(what, error);
    }
  }

  private failure(what: string, error: unknown): Error {
    if (error instanceof ApiError && typeof error.code === "number" && error.code >= 400) {
      const failure = httpFailure(error.code, what, this.credentials, error.message.split("\n")[0]);
      return new DeliveryError(failure.reason, failure.message, { cause: error, retryable: failure.retryable });
    }
    return classifyError(error, `reading ${what}`);
  }
}
