// https:// models: one file by URL, extracted when its name ends in .tar.gz, .tgz, .tar or .zip.
// Trusts the Secret's ca.crt besides the system roots and sends its `authorization` key, if
// any, as the Authorization header (dropped on redirects to another origin).
import { Readable } from "node:stream";
import { Agent, interceptors, request } from "undici";
import type { Dispatcher } from "undici";
import { classifyError } from "../classify.ts";
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import type { ModelListing, ModelStore, RemoteFile, StorageCredentials } from "../store.ts";
import { unpackFor } from "../unpack.ts";
import { httpFailure } from "./http-status.ts";
import { trustedCas } from "./tls.ts";

/** Secret key whose value is sent as the Authorization header (e.g. "Bearer <token>"). */
export const HTTPS_AUTHORIZATION_KEY = "authorization";

export class HttpsStore implements ModelStore {
  private readonly url: URL;
  private readonly credentials: StorageCredentials;
  private readonly dispatcher: Dispatcher;

  constructor(url: URL, credentials: StorageCredentials) {
    this.url = url;
    this.credentials = credentials;
    const ca = trustedCas(credentials);
    this.dispatcher = new Agent({ ...(ca && { connect: { ca } }) }).compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  /** One file named after the URL's last path segment; no request is made (HEAD is often refused). */
  list(): Promise<ModelListing> {
    const name = decodeURIComponent(this.url.pathname.split("/").filter((s) => s !== "").pop() ?? "") || "model";
    const file: RemoteFile = { path: name, unpack: unpackFor(name), open: (signal, offset) => this.open(signal, offset ?? 0) };
    return Promise.resolve({ shape: "file", files: [file] });
  }

  private async open(signal: AbortSignal, offset: number): Promise<Readable> {
    const authorization = this.credentials.get(HTTPS_AUTHORIZATION_KEY)?.trim();
    const headers: Record<string, string> = { ...(authorization && { authorization }), ...(offset > 0 && { range: `bytes=${offset}-` }) };
    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.url, { dispatcher: this.dispatcher, headers, signal });
    } catch (error) {
      throw classifyError(error, `downloading ${this.url.href}`);
    }
    const { statusCode, body } = response;
    if (statusCode === 200 || statusCode === 206) {
      const stream = Readable.from(body);
      // A server that ignores Range sends everything again: skip what is already on disk.
      return statusCode === 200 && offset > 0 ? Readable.from(skipBytes(offset)(stream)) : stream;
    }
    await body.dump();
    if (statusCode === 416) throw new DeliveryError(R.Unreachable, `${this.url.href} changed while it was downloaded (HTTP 416)`, { retryable: true });
    throw httpFailure(statusCode, this.url.href, this.credentials);
  }
}

/** A transform that drops the first `n` bytes. */
function skipBytes(n: number): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* skip(source) {
    let left = n;
    for await (const chunk of source) {
      if (left >= chunk.length) {
        left -= chunk.length;
        continue;
      }
      yield left > 0 ? chunk.subarray(left) : chunk;
      left = 0;
    }
  };
}
