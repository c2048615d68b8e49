// The headers a forwarded request carries: the agent's rewriting (end-to-end only, X-Forwarded-*),
// plus the agent's own control header, which the activator passes on to the agent behind it.
import type { IncomingMessage } from "node:http";
import { upstreamRequestHeaders, type HeaderMap } from "../agent/headers.ts";

/** Request headers meant for the MDO agent in the pod (upstreamRequestHeaders drops them, being the agent's own). */
const AGENT_CONTROL = ["x-mdo-cache"] as const;
const NOTHING_CONSUMED: ReadonlySet<string> = new Set();

/** The headers sent to the backend for `req`; `host` is the backend's own, set by undici. */
export function forwardedRequestHeaders(req: IncomingMessage): HeaderMap {
  const headers = upstreamRequestHeaders(req.headers, { clientAddress: req.socket.remoteAddress, consumed: NOTHING_CONSUMED });
  const listed = String(req.headers.connection ?? "").toLowerCase().split(",").map((n) => n.trim());
  for (const name of AGENT_CONTROL) {
    const value = req.headers[name];
    if (value !== undefined && !listed.includes(name)) headers[name] = value;
  }
  return headers;
}
