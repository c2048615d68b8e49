// The metrics port: GET /metrics (Prometheus text format), GET /load (the load meter's snapshot
// as JSON, for concurrency and request-rate autoscaling) and GET /drift (the drift hook's latest
// report as JSON, 404 while unavailable). Separate from the serving port so scrapes never compete
// with inference for admission and never need an API key.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DriftHook } from "./drift-hook.ts";
import type { AgentMetrics } from "./metrics.ts";
import { sendError, sendText } from "./responses.ts";

export function metricsHandler(metrics: AgentMetrics, drift: DriftHook): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 405, "method not allowed", { allow: "GET, HEAD" });
    if (path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType, "content-length": Buffer.byteLength(text) });
          res.end(text);
        },
        (error: unknown) => sendError(res, 500, error instanceof Error ? error.message : "metrics failed"),
      );
      return;
    }
    if (path === "/load") return sendJson(res, metrics.load.snapshot());
    if (path === "/drift") {
      const report = drift.enabled ? drift.report() : undefined;
      if (report === undefined) return sendError(res, 404, "drift unavailable");
      return sendJson(res, report);
    }
    if (path === "/healthz") return sendText(res, 200, "ok\n");
    sendError(res, 404, "not found");
  };
}

/** A 200 JSON answer that no cache may keep: every read must be fresh. */
function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}
