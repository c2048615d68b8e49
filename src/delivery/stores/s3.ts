// s3:// models through the AWS SDK v3: one object, or every object under a prefix.
//
// Configuration comes from the storage Secret's keys, then the container's environment:
//   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN — static credentials; without
//     them the SDK's default chain applies (web identity / IRSA, ECS and instance roles);
//   AWS_REGION or AWS_DEFAULT_REGION (default us-east-1);
//   AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL — an S3-compatible store (MinIO, Ceph, R2…);
//   S3_FORCE_PATH_STYLE — "true"/"false"; default true with a custom endpoint, else false;
//   ca.crt — a CA bundle for a custom endpoint's TLS certificate.
//
// Listing and HEAD go through the SDK's Node.js HTTP handler; GetObject through a second client
// with the same configuration whose handler (raw-http-handler.ts) reads bodies through one
// reused buffer: on 2 cores that took a 1 GiB download of 200 files from 4.3 to ≈ 2.5 CPU-seconds
// (bench:fetch, docs/benchmarks.md).
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { posix } from "node:path";
import { Readable } from "node:stream";
import { classifyError } from "../classify.ts";
import { describeCredentials } from "../credentials.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import type { ModelListing, ModelStore, RemoteFile, StorageCredentials } from "../store.ts";
import { unpackFor } from "../unpack.ts";
import { httpFailure } from "./http-status.ts";
import { RawHttpHandler } from "./raw-http-handler.ts";
import { trustedCas } from "./tls.ts";

/** The SDK client configuration for `credentials` (then `env`). Pure; exported for tests. */
export function s3ClientConfig(credentials: StorageCredentials, env: NodeJS.ProcessEnv): S3ClientConfig {
  const value = (key: string): string | undefined => (credentials.get(key) ?? env[key])?.trim() || undefined;
  const endpoint = value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL");
  const pathStyle = value("S3_FORCE_PATH_STYLE");
  const accessKeyId = credentials.get("AWS_ACCESS_KEY_ID")?.trim();
  const secretAccessKey = credentials.get("AWS_SECRET_ACCESS_KEY")?.trim();
  const sessionToken = credentials.get("AWS_SESSION_TOKEN")?.trim();
  const ca = trustedCas(credentials);
  return {
    region: value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1",
    ...(endpoint && { endpoint }),
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === "true",
    ...(accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) } }),
    // The downloader retries (and resumes); SDK retries on top would multiply the attempts.
    maxAttempts: 1,
    // The downloader checks each object's size and hashes every byte (against the pinned digest):
    // validating the store's CRC as well cost a tenth of a download's CPU (bench:fetch).
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 32, ...(ca && { ca }) }),
      connectionTimeout: 10_000,
      requestTimeout: IDLE_TIMEOUT_MS,
    }),
  };
}

/** A connection with no bytes moving for this long fails (retryably: the retry resumes). */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * The configuration of the client that reads object bodies: the same, but for the transport, and
 * with the main client's credentials provider, so a web identity is exchanged once, by the main
 * client, over its own handler (a chain built for this client would send STS's POST through the
 * GET-only handler).
 */
export function s3BodyClientConfig(main: S3Client, credentials: StorageCredentials, env: NodeJS.ProcessEnv): S3ClientConfig {
  const ca = trustedCas(credentials);
  return {
    ...s3ClientConfig(credentials, env),
    credentials: main.config.credentials,
    requestHandler: new RawHttpHandler({ idleTimeoutMs: IDLE_TIMEOUT_MS, ...(ca && { ca }) }),
  };
}

export class S3Store implements ModelStore {
  private readonly client: S3Client;
  private readonly bodyClient: S3Client;
  private readonly bucket: string;
  private readonly key: string;
  private readonly credentials: StorageCredentials;

  constructor(location: { bucket: string; key: string }, credentials: StorageCredentials, env: NodeJS.ProcessEnv = process.env) {
    this.bucket = location.bucket;
    this.key = location.key;
    this.credentials = credentials;
    this.client = new S3Client(s3ClientConfig(credentials, env));
    this.bodyClient = new S3Client(s3BodyClientConfig(this.client, credentials, env));
  }

  /** The object `key` when it exists, else every object under `key/` (directory markers skipped). */
  async list(signal: AbortSignal): Promise<ModelListing> {
    if (this.key !== "") {
      const head = await this.call(`s3://${this.bucket}/${this.key}`, () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key }), { abortSignal: signal }),
      ).catch((error: unknown) => {
        if (error instanceof DeliveryError && error.reason === R.NotFound) return undefined;
        throw error;
      });
      if (head !== undefined) {
        const name = posix.basename(this.key);
        return { shape: "file", files: [this.file(this.key, name, head.ContentLength, unpackFor(name))] };
      }
    }
    const prefix = this.key === "" ? "" : `${this.key}/`;
    const files: RemoteFile[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`s3://${this.bucket}/${prefix}`, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || object.Key.endsWith("/")) continue;
        files.push(this.file(object.Key, object.Key.slice(prefix.length), object.Size, "none"));
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    if (files.length === 0) {
      const what = this.key === "" ? `s3://${this.bucket}` : `s3://${this.bucket}/${this.key}`;
      throw new DeliveryError(R.NotFound, `${what} names no object and no objects are under it`);
    }
    return { shape: "tree", files };
  }

  private file(key: string, path: string, size: number | undefined, unpack: RemoteFile["unpack"]): RemoteFile {
    return {
      path,
      ...(size !== undefined && { size }),
      ...(unpack && { unpack }),
      open: async (signal, offset = 0) => {
        const object = await this.call(`s3://${this.bucket}/${key}`, () =>
          this.bodyClient.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(offset > 0 && { Range: `bytes=${offset}-` }) }), { abortSignal: signal }),
        );
        if (!(object.Body instanceof Readable)) throw new DeliveryError(R.Failed, `s3://${this.bucket}/${key} came without a readable body`);
        return object.Body;
      },
    };
  }

  /** Runs one SDK call, turning its failures into DeliveryErrors about `what`. */
  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof S3ServiceException) {
        const status = error.$metadata.httpStatusCode ?? 0;
        if (error.name === "NoSuchBucket") throw new DeliveryError(R.NotFound, `bucket ${this.bucket} does not exist (${what})`, { cause: error });
        // A HEAD answer has no body, so the SDK names its error "Unknown": then the status says it all.
        if (status > 0) throw withCause(httpFailure(status, what, this.credentials, error.name === "Unknown" ? undefined : error.name), error);
      }
      if (error instanceof Error && error.name === "CredentialsProviderError") {
        throw new DeliveryError(R.AccessDenied, `no AWS credentials for ${what} ${describeCredentials(this.credentials)}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the Secret or give the pod a web identity (IRSA)`, { cause: error });
      }
      throw classifyError(error, `reading ${what}`);
    }
  }
}

function withCause(error: DeliveryError, cause: unknown): DeliveryError {
  return new DeliveryError(error.reason, error.message, { cause, retryable: error.retryable });
}
