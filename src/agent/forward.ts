// Calls to the model server: streamed through to the client, or buffered whole for the cache.
// Every failed call is counted here, once, whatever number of clients share it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Dispatcher } from "undici";
import type { Logger } from "../runtime/logging.ts";
import { UpstreamAbort, type AbortReason } from "./abort.ts";
import { ByteLimit, readDeclaredBody } from "./body.ts";
import type { Loaded } from "./cache.ts";
import { ClientGoneError, PayloadTooLargeError, UpstreamError } from "./errors.ts";
import type { Exchange } from "./exchange.ts";
import { declaredLength, downstreamResponseHeaders, hasRequestBody, type HeaderMap } from "./headers.ts";
import type { AgentMetrics } from "./metrics.ts";
import type { UpstreamReadiness } from "./readiness.ts";
import { ResponseRelay, type RelayFailure } from "./relay.ts";
import { upstreamErrorKind, type UpstreamErrorKind } from "./upstream-errors.ts";

export interface UpstreamCallerOptions {
  readonly pool: Dispatcher;
  readonly timeoutMs: number;
  readonly maxRequestBytes: number;
  readonly metrics: AgentMetrics;
  readonly readiness: UpstreamReadiness;
  readonly logger: Logger;
}

/** Request bodies declared up to this size are read whole before the call; larger ones stream. */
export const BUFFERED_BODY_MAX = 64 * 1024;

/** How often one kind of upstream failure is logged at most; the metric counts every one. */
const LOG_INTERVAL_MS = 5000;

export class UpstreamCaller {
  private readonly options: UpstreamCallerOptions;
  private readonly lastLogged = new Map<UpstreamErrorKind, number>();

  constructor(options: UpstreamCallerOptions) {
    this.options = options;
  }

  /**
   * Forwards the request and relays the answer into `res` as it arrives (Server-Sent Events pass
   * chunk by chunk, unbuffered). `body` is the already-read body; otherwise a body declared at
   * most BUFFERED_BODY_MAX bytes is read whole first (one write upstream) and any other streams
   * through the size limit. Resolves with the status once the answer was handed to `res`;
   * rejects with PayloadTooLargeError, ClientGoneError or UpstreamError before the answer began,
   * and after that destroys `res` (a status can no longer change) and rejects likewise. The
   * timeoutMs deadline runs from the call to the first byte of the answer.
   */
  async stream(req: IncomingMessage, res: ServerResponse, exchange: Exchange, headers: HeaderMap, body?: Buffer): Promise<number> {
    let requestBody: Buffer | ByteLimit | null = body ?? null;
    if (body === undefined && hasRequestBody(req.headers)) {
      const declared = declaredLength(req.headers);
      if (declared !== undefined && declared <= BUFFERED_BODY_MAX) {
        requestBody = await readDeclaredBody(req, declared, this.options.maxRequestBytes);
        exchange.onRequestChunk(requestBody);
      } else {
        const limit = new ByteLimit(this.options.maxRequestBytes, exchange.onRequestChunk);
        req.once("error", (error) => limit.destroy(error));
        req.pipe(limit);
        requestBody = limit;
      }
    }
    const deadline = performance.now() + this.options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const relay = new ResponseRelay(res, exchange, Math.max(1, deadline - performance.now()));
      exchange.cancelCall = relay;
      this.options.pool.dispatch({ path: req.url ?? "/", method: methodOf(req), headers, body: requestBody }, relay);
      try {
        return await relay.done;
      } catch (failure) {
        const { error, reason } = failure as RelayFailure;
        const replayable = requestBody === null || Buffer.isBuffer(requestBody);
        if (attempt === 0 && reason === "upstream" && replayable && !res.headersSent && !res.destroyed && this.retries(error)) continue;
        throw this.failure(error, reason === "upstream" ? undefined : reason, req);
      }
    }
  }

  /**
   * Forwards a buffered request and reads the whole answer, for the cache: not tied to one
   * client, since identical requests share it. Storable: a 200 without Set-Cookie or
   * Cache-Control no-store/private. Rejects with UpstreamError.
   */
  async fetch(req: IncomingMessage, headers: HeaderMap, body: Buffer): Promise<Loaded> {
    const abort = new UpstreamAbort(this.options.timeoutMs);
    try {
      const call = (): Promise<Dispatcher.ResponseData> => this.options.pool.request({ path: req.url ?? "/", method: methodOf(req), headers, body, signal: abort.signal });
      const answer = await call().catch((error: unknown) => {
        if (abort.reason === undefined && this.retries(error)) return call();
        throw error;
      });
      abort.answered();
      const bytes = Buffer.from(await answer.body.arrayBuffer());
      const { date: _date, "content-length": _length, ...kept } = downstreamResponseHeaders(answer.headers);
      const cacheControl = String(answer.headers["cache-control"] ?? "").toLowerCase();
      const storable = answer.statusCode === 200 && answer.headers["set-cookie"] === undefined && !/no-store|private/.test(cacheControl);
      return { response: { status: answer.statusCode, headers: kept, body: bytes }, storable };
    } catch (error) {
      throw this.failure(error, abort.reason, req);
    } finally {
      abort.answered();
    }
  }

  /**
   * Whether a failed call is sent once more: only when the connection broke before any answer
   * (kind `reset`, and the caller checked that no answer began and the body can be sent again).
   * That is the race of a model server closing a kept-alive connection just as the next request
   * went out on it — uvicorn (MLServer, most Python servers) closes the connection after every
   * unhandled error without saying `Connection: close`. An inference is a function of its input,
   * so a second call costs compute and changes nothing else. Counted in `upstreamRetries`.
   */
  private retries(error: unknown): boolean {
    if (upstreamErrorKind(error) !== "reset") return false;
    this.options.metrics.upstreamRetries.inc();
    return true;
  }

  /** Maps a failed call to the error the proxy answers with, counting upstream failures. */
  private failure(error: unknown, cancelled: AbortReason | undefined, req: IncomingMessage): Error {
    if (error instanceof PayloadTooLargeError || error instanceof ClientGoneError) return error;
    if (cancelled === "client" || req.errored !== null) return new ClientGoneError("Client left during the model server call", { cause: error });
    const kind = cancelled === "timeout" ? "timeout" : upstreamErrorKind(error);
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

function methodOf(req: IncomingMessage): Dispatcher.HttpMethod {
  return req.method ?? "GET";
}
