// A model store: where `mdo fetch` reads a model from. One implementation per URI scheme
// (stores/<scheme>.ts); the downloader (download.ts) owns retries, parallelism, hashing,
// extraction, staging and the atomic rename, so a store only lists and opens.
import type { Readable } from "node:stream";

/** How a downloaded file becomes files in the model directory. */
export type Unpack = "none" | "tar" | "tar+gzip" | "zip";

/** One file of a model in a store. */
export interface RemoteFile {
  /**
   * Where the file goes, relative to the model directory, POSIX separators, no "." or ".."
   * segments (the downloader rejects them). For an archive (`unpack` ≠ "none") it is only the
   * name shown in logs: the archive's entries land at the model directory's root.
   */
  readonly path: string;
  /** Size in bytes when the store knows it (progress, and a length check after download). */
  readonly size?: number;
  /** The store's own content digest (sha256:…), verified by the downloader when present (OCI blobs). */
  readonly digest?: string;
  /** Default "none". */
  readonly unpack?: Unpack;
  /**
   * Opens the content from byte `offset` (default 0; a retry resumes where it stopped when the
   * store supports ranges, else it passes 0). Errors are DeliveryErrors with the right reason
   * and `retryable` set for transient failures; `signal` aborts the request and the stream.
   */
  open(signal: AbortSignal, offset?: number): Promise<Readable | (Readable & PushedBody)>;
}

/**
 * Takes a body's bytes in order. `write` is done with `bytes` when it returns (the caller may
 * reuse that memory); when it returns a promise, the caller waits for it before writing again.
 * A failed write throws or rejects that promise.
 */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void> | undefined;
}

/**
 * A body that can also hand its bytes to a sink from a buffer it reuses, without a copy or an
 * allocation per read (stores/raw-body.ts). The downloader prefers this to reading the stream.
 */
export interface PushedBody {
  /** Writes every byte of the body into `sink`, pausing the connection while `sink` asks to wait. */
  pipeInto(sink: ByteSink): Promise<void>;
}

export function isPushedBody(body: unknown): body is PushedBody {
  return typeof (body as Partial<PushedBody> | undefined)?.pipeInto === "function";
}

/**
 * What a URI names. `file`: one object (its digest is the sha256 of its bytes, archive or not);
 * `tree`: several files under a prefix, or an artifact's layers (the canonical tree digest).
 */
export interface ModelListing {
  readonly shape: "file" | "tree";
  readonly files: readonly RemoteFile[];
}

/** Lists what a URI names. Throws DeliveryError (NotFound when the URI names nothing). */
export interface ModelStore {
  list(signal: AbortSignal): Promise<ModelListing>;
}

/**
 * The storage Secret as the fetcher sees it: the Secret of spec.model.storageSecretRef is mounted
 * read-only (one file per key). Stores read their keys from here and nowhere else, so credentials
 * never pass through the command line, the pod spec or logs.
 */
export interface StorageCredentials {
  /** Secret name, for messages ("access denied with Secret s3-creds"); undefined without a Secret. */
  readonly secretName?: string;
  /** The value of `key`, or undefined when the Secret has no such key (or there is no Secret). */
  get(key: string): string | undefined;
}

/** Secret keys the stores read, documented in docs/operator.md (Model delivery). */
export const CredentialKeys = {
  /** PEM CA bundle trusted in addition to the system roots (https://, oci://, custom s3 endpoints). */
  caCert: "ca.crt",
  /** A dockerconfigjson ({"auths": {...}}) for oci:// registries. */
  dockerConfigJson: ".dockerconfigjson",
  /** A Google service-account key (JSON) for gs://. */
  gcsServiceAccount: "service-account.json",
} as const;
