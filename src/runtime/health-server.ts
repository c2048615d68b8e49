// The operator's HTTP endpoints: /healthz (alive), /readyz (caches synced), /metrics (Prometheus),
// and whatever routes the caller adds (the operator: the activator's POST /v1/activations/…).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";

export interface HealthChecks {
  /** The process can do work (its event loop answers and nothing fatal was recorded). */
  alive: () => boolean;
  /** The caches this process reconciles from have synced (a standby that is not leading is ready too). */
  ready: () => boolean;
}

/** Answers a request it knows (true), or leaves it alone (false) for the health server's 404. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Starts the endpoints on `host:port` (port 0 picks one). Resolves with the server once it
 * listens; close it on shutdown.
 */
export function startHealthServer(host: string, port: number, checks: HealthChecks, registry: Registry, extra?: ExtraRoute): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (extra?.(req, res) === true) return;
    const answer = (ok: boolean, what: string): void => {
      res.writeHead(ok ? 200 : 503, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(ok ? "ok\n" : `${what}\n`);
    };
    if (path === "/healthz" || path === "/livez") return answer(checks.alive(), "not alive");
    if (path === "/readyz") return answer(checks.ready(), "caches not synced");
    if (path === "/metrics") {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { "Content-Type": registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
      return;
    }
    res.writeHead(404);
    res.end("not found\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
