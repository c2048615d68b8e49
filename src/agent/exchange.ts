// One client request from arrival to the end of its answer: counts its bytes, records its
// metrics once when the response closes, and writes its payload record when sampled.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentMetrics } from "./metrics.ts";
import { BodyCapture, type PayloadLogger } from "./payload-log.ts";
import { isLoadRoute, type Route } from "./routes.ts";

export interface ExchangeContext {
  readonly metrics: AgentMetrics;
  readonly payloads: PayloadLogger | undefined;
  readonly identity: { readonly revision: string; readonly model: string; readonly version: string };
}

/** Largest answer kept for its predictions (prediction drift, feedback): 1 MiB. */
export const ANSWER_MAX_BYTES = 1024 * 1024;

export class Exchange {
  readonly route: Route;
  requestBytes = 0;
  responseBytes = 0;
  private readonly start = performance.now();
  private readonly requestCapture: BodyCapture | undefined;
  private readonly responseCapture: BodyCapture | undefined;
  /** The in-flight slot this exchange holds, given back when the response closes. */
  releaseSlot: (() => void) | undefined;
  /** The upstream call to cancel if the client's connection closes before its answer is complete. */
  cancelCall: { clientGone(): void } | undefined;
  /** The answer's bytes, kept while someone reads answers (captureAnswer) and it stays under ANSWER_MAX_BYTES. */
  private answerChunks: Buffer[] | undefined;
  private answerBytes = 0;

  /**
   * Starts tracking; when `res` closes (finished or not) the exchange releases its slot, cancels
   * an unfinished upstream call and records itself: one "close" listener per request.
   */
  constructor(context: ExchangeContext, route: Route, req: IncomingMessage, res: ServerResponse) {
    this.route = route;
    const sampled = context.payloads?.sample() === true;
    this.requestCapture = sampled ? new BodyCapture() : undefined;
    this.responseCapture = sampled ? new BodyCapture() : undefined;
    context.metrics.inFlight.inc();
    if (isLoadRoute(route)) context.metrics.load.start();
    res.once("close", () => this.finish(context, req, res));
  }

  /** Counts (and captures, when sampled) a piece of the request body. */
  readonly onRequestChunk = (chunk: Buffer): void => {
    this.requestBytes += chunk.length;
    this.requestCapture?.add(chunk);
  };

  /** Counts (and captures, when sampled) a piece of the response body sent to the client. */
  readonly onResponseChunk = (chunk: Buffer): void => {
    this.responseBytes += chunk.length;
    this.responseCapture?.add(chunk);
    if (this.answerChunks === undefined) return;
    this.answerBytes += chunk.length;
    if (this.answerBytes > ANSWER_MAX_BYTES) this.answerChunks = undefined;
    else this.answerChunks.push(chunk);
  };

  /** Keeps the answer's bytes from now on, for readers of predictions (answers larger than ANSWER_MAX_BYTES are dropped). */
  captureAnswer(): void {
    this.answerChunks ??= [];
  }

  /** The whole answer sent so far, or undefined when not captured or too large. */
  answer(): Buffer | undefined {
    return this.answerChunks === undefined ? undefined : Buffer.concat(this.answerChunks, this.answerBytes);
  }

  private finish(context: ExchangeContext, req: IncomingMessage, res: ServerResponse): void {
    this.releaseSlot?.();
    if (!res.writableFinished) this.cancelCall?.clientGone();
    const { metrics } = context;
    const seconds = (performance.now() - this.start) / 1000;
    // 499: the client left before an answer began (nginx's convention).
    const status = res.headersSent ? res.statusCode : 499;
    metrics.inFlight.dec();
    if (isLoadRoute(this.route)) metrics.load.end();
    metrics.requests.inc({ route: this.route, code: String(status) });
    metrics.duration.observe({ route: this.route }, seconds);
    metrics.requestBytes.observe({ route: this.route }, this.requestBytes);
    metrics.responseBytes.observe({ route: this.route }, this.responseBytes);
    if (this.requestCapture === undefined || this.responseCapture === undefined) return;
    const target = req.url ?? "/";
    const query = target.indexOf("?");
    context.payloads?.write({
      time: new Date().toISOString(),
      ...context.identity,
      route: this.route,
      method: req.method ?? "",
      path: query < 0 ? target : target.slice(0, query),
      status,
      durationMs: Math.round(seconds * 1e6) / 1e3,
      request: this.requestCapture.toLogged(),
      response: this.responseCapture.toLogged(),
    });
  }
}
