// Calls to the model server: streamed through to the client, or buffered whole for the cache.
// Every failed call is counted here, once, whatever number of clients share it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import type { Logger } from "../runtime/logging.ts";
import { UpstreamAbort } from "./abort.ts";
import { ByteLimit } from "./body.ts";
import type { Loaded } from "./cache.ts";
import { ClientGoneError, PayloadTooLargeError, UpstreamError } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import { downstreamResponseHeaders, hasRequestBody, type HeaderMap } from "./headers.ts";
import type { AgentMetrics } from "./metrics.ts";
import type { UpstreamReadiness } from "./readiness.ts";
import { upstreamErrorKind, type UpstreamErrorKind } from "./upstream-errors.ts";

export interface UpstreamCallerOptions {
  readonly pool: Dispatcher;
  readonly timeoutMs: number;
  readonly maxRequestBytes: number;
  readonly metrics: AgentMetrics;
  readonly readiness: UpstreamReadiness;
  readonly logger: Logger;
}

/** How often one kind of upstream failure is logged at most; the metric counts every one. */
const LOG_INTERVAL_MS = 5000;

export class UpstreamCaller {
  private readonly options: UpstreamCallerOptions;
  private readonly lastLogged = new Map<UpstreamErrorKind, number>();

  constructor(options: UpstreamCallerOptions) {
    this.options = options;
  }

  /**
   * Forwards the request and streams the answer to `res` (Server-Sent Events pass chunk by
   * chunk, unbuffered). `body` is the already-read body, or undefined to stream `req` through
   * the size limit. Resolves with the status once the answer ended; rejects with
   * PayloadTooLargeError, ClientGoneError or UpstreamError before the answer began, and after
   * that destroys `res` (a status can no longer change) and rejects likewise.
   */
  async stream(req: IncomingMessage, res: ServerResponse, exchange: Exchange, headers: HeaderMap, body?: Buffer): Promise<number> {
    const abort = new UpstreamAbort(this.options.timeoutMs);
    res.once("close", () => {
      if (!res.writableFinished) abort.clientGone();
    });
    let requestBody: Buffer | ByteLimit | null = body ?? null;
    if (body === undefined && hasRequestBody(req.headers)) {
      const limit = new ByteLimit(this.options.maxRequestBytes, exchange.onRequestChunk);
      req.once("error", (error) => limit.destroy(error));
      req.pipe(limit);
      requestBody = limit;
    }
    let answer: Dispatcher.ResponseData;
    try {
      answer = await this.options.pool.request({ path: req.url ?? "/", method: methodOf(req), headers, body: requestBody, signal: abort.signal });
    } catch (error) {
      throw this.failure(error, abort, req);
    } finally {
      abort.answered();
    }
    try {
      res.writeHead(answer.statusCode, downstreamResponseHeaders(answer.headers));
    } catch (error) {
      // A header Node refuses to send: free the connection, answer as a broken upstream.
      answer.body.destroy();
      throw this.failure(error, abort, req);
    }
    answer.body.on("data", exchange.onResponseChunk);
    try {
      await relay(answer.body, res);
    } catch (error) {
      res.destroy();
      throw this.failure(error, abort, req);
    }
    return answer.statusCode;
  }

  /**
   * Forwards a buffered request and reads the whole answer, for the cache: not tied to one
   * client, since identical requests share it. Storable: a 200 without Set-Cookie or
   * Cache-Control no-store/private. Rejects with UpstreamError.
   */
  async fetch(req: IncomingMessage, headers: HeaderMap, body: Buffer): Promise<Loaded> {
    const abort = new UpstreamAbort(this.options.timeoutMs);
    try {
      const answer = await this.options.pool.request({ path: req.url ?? "/", method: methodOf(req), headers, body, signal: abort.signal });
      abort.answered();
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      const { date: _date, "content-length": _length, ...kept } = downstreamResponseHeaders(answer.headers);
      const cacheControl = String(answer.headers["cache-control"] ?? "").toLowerCase();
      const storable = answer.statusCode === 200 && answer.headers["set-cookie"] === undefined && !/no-store|private/.test(cacheControl);
      return { response: { status: answer.statusCode, headers: kept, body: bytes }, storable };
    } catch (error) {
      throw this.failure(error, abort, req);
    } finally {
      abort.answered();
    }
  }

  /** Maps a failed call to the error the proxy answers with, counting upstream failures. */
  private failure(error: unknown, abort: UpstreamAbort, req: IncomingMessage): Error {
    if (error instanceof PayloadTooLargeError || error instanceof ClientGoneError) return error;
    if (abort.reason === "client" || req.errored !== null) return new ClientGoneError("Client left during the model server call", { cause: error });
    const kind = abort.reason === "timeout" ? "timeout" : upstreamErrorKind(error);
    this.options.metrics.upstreamErrors.inc({ kind });
    if (kind === "connect") this.options.readiness.invalidate();
    const now = performance.now();
    if (now - (this.lastLogged.get(kind) ?? -LOG_INTERVAL_MS) >= LOG_INTERVAL_MS) {
      this.lastLogged.set(kind, now);
      this.options.logger.warn("Model server request failed", { kind, error: error instanceof Error ? error.message : String(error) });
    }
    return new UpstreamError(kind, error);
  }
}

/**
 * Pipes the answer's body to the client; resolves when the client has it all. (stream.pipeline
 * would do, but allocates an AbortController and a DOMException per call: measurable here.)
 */
function relay(source: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      source.off("error", onError);
      res.off("close", onClose);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      if (res.writableFinished) resolve();
      else reject(new ClientGoneError("Client closed the connection during the answer"));
    };
    source.once("error", onError);
    res.once("close", onClose);
    source.pipe(res);
  });
}

function methodOf(req: IncomingMessage): Dispatcher.HttpMethod {
  return req.method ?? "GET";
}
