// Connections to the model server: one keep-alive pool for requests and a separate single
// connection for readiness probes, so probes never queue behind slow inferences.
import { Client, Pool } from "undici";
import type { AgentConfig } from "./config.ts";

/** Connections kept when maxConcurrency is unlimited. */
export const DEFAULT_UPSTREAM_CONNECTIONS = 256;
/**
 * Idle connections are closed after 4 s, below the 5 s keep-alive of common Python servers
 * (uvicorn, gunicorn), so the agent never reuses a socket the server is closing.
 */
export const UPSTREAM_KEEP_ALIVE_MS = 4000;

export function upstreamOrigin(config: AgentConfig): string {
  const { host, port } = config.upstream;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * The request pool: no pipelining (an inference must never wait behind another on one socket),
 * at most maxConcurrency connections (the agent never admits more), short connect timeout.
 */
export function createUpstreamPool(config: AgentConfig): Pool {
  return new Pool(upstreamOrigin(config), {
    connections: config.limits.maxConcurrency ?? DEFAULT_UPSTREAM_CONNECTIONS,
    pipelining: 1,
    keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS,
    keepAliveMaxTimeout: UPSTREAM_KEEP_ALIVE_MS,
    // The agent's own timer answers 504 at timeoutMs; these are backstops.
    headersTimeout: config.limits.timeoutMs + 1000,
    bodyTimeout: config.limits.timeoutMs,
    connect: { timeout: Math.min(config.limits.timeoutMs, 5000) },
  });
}

/** The readiness probe's connection. */
export function createProbeClient(config: AgentConfig): Client {
  return new Client(upstreamOrigin(config), {
    pipelining: 1,
    keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS,
    keepAliveMaxTimeout: UPSTREAM_KEEP_ALIVE_MS,
    connect: { timeout: 1000 },
  });
}
