// One client request from arrival to the end of its answer: counts its bytes, records its
// metrics once when the response closes, and writes its payload record when sampled.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentMetrics } from "./metrics.ts";
import { BodyCapture, type PayloadLogger } from "./payload-log.ts";
import type { Route } from "./routes.ts";

export interface ExchangeContext {
  readonly metrics: AgentMetrics;
  readonly payloads: PayloadLogger | undefined;
  readonly identity: { readonly revision: string; readonly model: string; readonly version: string };
}

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
  };

  private finish(context: ExchangeContext, req: IncomingMessage, res: ServerResponse): void {
    this.releaseSlot?.();
    if (!res.writableFinished) this.cancelCall?.clientGone();
    const { metrics } = context;
    const seconds = (performance.now() - this.start) / 1000;
    // 499: the client left before an answer began (nginx's convention).
    const status = res.headersSent ? res.statusCode : 499;
    metrics.inFlight.dec();
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
