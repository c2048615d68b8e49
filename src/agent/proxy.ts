// The serving port's request handler: agent health endpoints, then for everything else
// authentication → admission → size limit → (cache | stream) to the model server.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../runtime/logging.ts";
import type { ApiKeys } from "./api-keys.ts";
import { API_KEY_HEADERS, isAuthorized, sendUnauthorized } from "./auth.ts";
import { readBody, readDeclaredBody } from "./body.ts";
import type { PredictionCache } from "./cache.ts";
import { predictionCacheKey } from "./cache-key.ts";
import { cacheBypassRequested } from "./cache-policy.ts";
import { sendOverloaded, type ConcurrencyLimit } from "./concurrency.ts";
import { parseModelAnswer } from "./answers/model-answer.ts";
import { predictionsOf } from "./answers/predictions.ts";
import type { AgentConfig } from "./config.ts";
import type { DriftHook } from "./drift-hook.ts";
import { ClientGoneError, PayloadTooLargeError, UpstreamError } from "./errors.ts";
import { Exchange, type ExchangeContext } from "./exchange.ts";
import type { UpstreamCaller } from "./forward.ts";
import { REQUEST_ID_HEADER, type GroundTruth } from "./ground-truth.ts";
import type { ShadowMirror } from "./shadow.ts";
import { declaredLength, hasRequestBody, headerValue, upstreamRequestHeaders, type HeaderMap } from "./headers.ts";
import type { AgentMetrics } from "./metrics.ts";
import type { PayloadLogger } from "./payload-log.ts";
import type { UpstreamReadiness } from "./readiness.ts";
import { sendError, sendPayloadTooLarge, sendText } from "./responses.ts";
import { classifyRoute, isDeterministicRoute, isPredictionRoute, type RouteMatch } from "./routes.ts";

export interface ProxyDeps {
  readonly config: AgentConfig;
  readonly upstream: UpstreamCaller;
  readonly readiness: UpstreamReadiness;
  readonly metrics: AgentMetrics;
  readonly logger: Logger;
  readonly limit: ConcurrencyLimit;
  readonly keys: ApiKeys | undefined;
  readonly cache: PredictionCache | undefined;
  readonly drift: DriftHook;
  readonly payloads: PayloadLogger | undefined;
  readonly groundTruth: GroundTruth | undefined;
  /** The shadow mirror in force now (it can change while the agent runs, ADR 0009). */
  readonly shadow: () => ShadowMirror | undefined;
}

const EMPTY = Buffer.alloc(0);
const NOTHING_CONSUMED: ReadonlySet<string> = new Set();

export class AgentProxy {
  private readonly deps: ProxyDeps;
  private readonly exchangeContext: ExchangeContext;
  private draining = false;

  constructor(deps: ProxyDeps) {
    this.deps = deps;
    const { revision, model } = deps.config;
    this.exchangeContext = { metrics: deps.metrics, payloads: deps.payloads, identity: { revision, model: model.name, version: model.version } };
  }

  /** From now on /readyz answers 503 and every answer closes its connection. */
  startDraining(): void {
    this.draining = true;
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.url ?? "/";
    const query = target.indexOf("?");
    const path = query < 0 ? target : target.slice(0, query);
    if (path === "/healthz") return sendText(res, 200, "ok\n");
    if (path === "/readyz") return void this.readyz(res);
    const match = classifyRoute(req.method ?? "GET", path);
    const exchange = new Exchange(this.exchangeContext, match.route, req, res);
    if (this.draining) res.setHeader("connection", "close");
    this.serve(req, res, exchange, match).catch((error: unknown) => this.fail(res, error));
  };

  private async readyz(res: ServerResponse): Promise<void> {
    if (this.draining) return sendText(res, 503, "shutting down\n");
    const ready = await this.deps.readiness.isReady();
    sendText(res, ready ? 200 : 503, ready ? "ready\n" : "model server not ready\n");
  }

  private async serve(req: IncomingMessage, res: ServerResponse, exchange: Exchange, match: RouteMatch): Promise<void> {
    const { config, keys, limit, cache, drift, metrics, groundTruth } = this.deps;
    const shadow = this.deps.shadow();
    if (keys !== undefined && !isAuthorized(req.headers, keys)) {
      metrics.rejections.inc({ reason: "unauthorized" });
      return sendUnauthorized(res);
    }
    if (!limit.tryAcquire()) {
      metrics.rejections.inc({ reason: "overloaded" });
      return sendOverloaded(res);
    }
    exchange.releaseSlot = limit.release;
    const maxBytes = config.limits.maxRequestBytes;
    const declared = declaredLength(req.headers);
    if (declared !== undefined && !(declared <= maxBytes)) throw new PayloadTooLargeError(maxBytes);
    if (match.route === "feedback") return this.feedback(req, res, declared, maxBytes);
    const headers = upstreamRequestHeaders(req.headers, {
      clientAddress: req.socket.remoteAddress,
      consumed: keys === undefined ? NOTHING_CONSUMED : API_KEY_HEADERS,
    });
    const understood = config.protocol !== "raw";
    const cacheable = cache !== undefined && understood && isDeterministicRoute(match.route);
    const observed = drift.enabled && understood && isPredictionRoute(match.route);
    const requestId = groundTruth !== undefined && understood && isDeterministicRoute(match.route) ? groundTruth.requestId(req.headers) : undefined;
    if (requestId !== undefined) res.setHeader(REQUEST_ID_HEADER, requestId);
    const mirrored = shadow !== undefined && understood && isDeterministicRoute(match.route) && shadow.sampled();
    if ((observed && drift.observesPredictions) || requestId !== undefined || mirrored) exchange.captureAnswer();
    if (!cacheable && !observed && !mirrored) {
      const status = await this.deps.upstream.stream(req, res, exchange, headers);
      if (requestId !== undefined && status >= 200 && status < 300) groundTruth?.remember(requestId, this.predictions(exchange));
      return;
    }
    const body = !hasRequestBody(req.headers) ? EMPTY
      : declared === undefined ? await readBody(req, maxBytes) : await readDeclaredBody(req, declared, maxBytes);
    exchange.onRequestChunk(body);
    // The mirror starts now, beside the primary call, and is compared once the user's answer was sent.
    let primaryDone: ((primary: { status: number; answer: Buffer | undefined }) => void) | undefined;
    if (mirrored) shadow?.mirror(req.method ?? "POST", req.url ?? "/", req.headers, body, new Promise((resolve) => { primaryDone = resolve; }));
    let status = 0;
    try {
      if (cacheable && !cacheBypassRequested(req.headers)) {
        status = await this.serveCached(req, res, exchange, match, headers, body, cache);
      } else {
        if (cacheable) {
          metrics.cacheBypasses.inc();
          res.setHeader("x-mdo-cache", "bypass");
        }
        status = await this.deps.upstream.stream(req, res, exchange, headers, body);
      }
    } finally {
      primaryDone?.({ status, answer: status === 0 ? undefined : exchange.answer() });
    }
    if (status < 200 || status >= 300) return;
    const predictions = (observed && drift.observesPredictions) || requestId !== undefined ? this.predictions(exchange) : undefined;
    if (requestId !== undefined) groundTruth?.remember(requestId, predictions);
    if (observed) this.observeDrift(body, predictions);
  }

  /** One prediction per row of the exchange's captured answer, or undefined when it has none (or was too large). */
  private predictions(exchange: Exchange): (number | string)[] | undefined {
    const answer = exchange.answer();
    const parsed = answer === undefined ? undefined : parseModelAnswer(answer, this.deps.config.protocol);
    return parsed === undefined ? undefined : predictionsOf(parsed);
  }

  /** POST /mdo/feedback: labels joined with the kept predictions; 404 while ground truth is off. */
  private async feedback(req: IncomingMessage, res: ServerResponse, declared: number | undefined, maxBytes: number): Promise<void> {
    const { groundTruth } = this.deps;
    if (groundTruth === undefined) return sendError(res, 404, "ground truth is off: spec.monitoring.groundTruth is not set");
    const body = declared === undefined ? await readBody(req, maxBytes) : await readDeclaredBody(req, declared, maxBytes);
    const answer = groundTruth.feedback(body);
    if (answer.status === 400) return sendError(res, 400, answer.error);
    const text = JSON.stringify({ results: answer.results });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private async serveCached(
    req: IncomingMessage, res: ServerResponse, exchange: Exchange, match: RouteMatch, headers: HeaderMap, body: Buffer, cache: PredictionCache,
  ): Promise<number> {
    const { config, metrics } = this.deps;
    const key = predictionCacheKey({
      model: match.model ?? config.model.name,
      version: match.version ?? config.model.version,
      route: match.route,
      target: req.url ?? "/",
      vary: ["content-type", "accept", "accept-encoding", "inference-header-content-length"].map((h) => headerValue(req.headers, h)),
      body,
    });
    const { response, outcome } = await cache.getOrLoad(key, () => this.deps.upstream.fetch(req, headers, body));
    if (outcome === "miss") metrics.cacheMisses.inc();
    else metrics.cacheHits.inc({ source: outcome === "hit" ? "cache" : "inflight" });
    if (res.destroyed) throw new ClientGoneError("Client left while the prediction was loading");
    res.writeHead(response.status, { ...response.headers, "content-length": response.body.length, "x-mdo-cache": outcome === "miss" ? "miss" : "hit" });
    res.end(response.body);
    exchange.onResponseChunk(response.body);
    return response.status;
  }

  /** The exchange's predictions (when the baseline profiles them), then its request's rows. */
  private observeDrift(body: Buffer, predictions: readonly (number | string)[] | undefined): void {
    const { drift, config } = this.deps;
    try {
      if (predictions !== undefined && drift.observesPredictions) drift.observePredictions(predictions);
      drift.observe(body, config.protocol);
    } catch (error) {
      this.deps.logger.warn("Drift hook failed to observe a request", { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Answers a failed exchange, or ends it when an answer already began or nobody listens. */
  private fail(res: ServerResponse, error: unknown): void {
    if (error instanceof PayloadTooLargeError) this.deps.metrics.rejections.inc({ reason: "payload_too_large" });
    else if (!(error instanceof UpstreamError || error instanceof ClientGoneError)) {
      this.deps.logger.error("Failed to serve a request", { error: error instanceof Error ? error.stack : String(error) });
    }
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    if (error instanceof PayloadTooLargeError) sendPayloadTooLarge(res, error.limit);
    else if (error instanceof ClientGoneError) res.destroy();
    else if (error instanceof UpstreamError) {
      if (error.kind === "timeout") sendError(res, 504, "model server did not answer in time");
      else sendError(res, 502, "model server unavailable");
    } else sendError(res, 500, "internal error");
  }
}
