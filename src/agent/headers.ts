// Header rewriting between the client, the agent and the model server (RFC 9110 §7.6.1).
import type { IncomingHttpHeaders } from "node:http";

export type HeaderMap = Record<string, string | string[]>;

/** Headers that describe one connection, never forwarded in either direction. */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
  "transfer-encoding", "upgrade",
]);

/**
 * Request headers the agent consumes or the upstream client sets itself: `host` (the upstream's
 * own), `expect` (the agent answered 100-continue already), `x-mdo-cache` (agent control).
 */
const NOT_FORWARDED_REQUEST: ReadonlySet<string> = new Set(["host", "expect", "x-mdo-cache"]);

/** Header names the Connection header lists as hop-by-hop for this message. */
function connectionListed(value: string | string[] | undefined): ReadonlySet<string> | undefined {
  if (value === undefined || value === "keep-alive" || value === "close") return undefined;
  const text = Array.isArray(value) ? value.join(",") : value;
  const names = text.split(",").map((n) => n.trim().toLowerCase()).filter((n) => n !== "" && n !== "close" && n !== "keep-alive");
  return names.length === 0 ? undefined : new Set(names);
}

function endToEnd(headers: IncomingHttpHeaders, skip: ReadonlySet<string>, out: HeaderMap): HeaderMap {
  const listed = connectionListed(headers.connection);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || skip.has(name) || listed?.has(name) === true) continue;
    out[name] = value;
  }
  return out;
}

export interface ForwardContext {
  /** Address of the peer that connected to the agent. */
  readonly clientAddress: string | undefined;
  /** Headers the agent consumed (the API key when auth is on); never reach the model server. */
  readonly consumed: ReadonlySet<string>;
}

/**
 * The headers sent to the model server: end-to-end headers only, minus what the agent consumed,
 * plus X-Forwarded-For (appended), X-Forwarded-Proto and X-Forwarded-Host (kept when an ingress
 * in front already set them).
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, context: ForwardContext): HeaderMap {
  const out = endToEnd(headers, context.consumed.size === 0 ? NOT_FORWARDED_REQUEST : union(NOT_FORWARDED_REQUEST, context.consumed), {});
  const forwarded = headers["x-forwarded-for"];
  const prior = Array.isArray(forwarded) ? forwarded.join(", ") : forwarded;
  const client = context.clientAddress;
  if (client !== undefined) out["x-forwarded-for"] = prior === undefined || prior === "" ? client : `${prior}, ${client}`;
  if (headers["x-forwarded-proto"] === undefined) out["x-forwarded-proto"] = "http";
  if (headers["x-forwarded-host"] === undefined && headers.host !== undefined) out["x-forwarded-host"] = headers.host;
  return out;
}

const NOT_FORWARDED_RESPONSE: ReadonlySet<string> = new Set();

/** The model server's response headers the client sees: end-to-end headers only. */
export function downstreamResponseHeaders(headers: IncomingHttpHeaders): HeaderMap {
  return endToEnd(headers, NOT_FORWARDED_RESPONSE, {});
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  return new Set([...a, ...b]);
}

/** The first value of a header, or undefined. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The declared request body size: a number for a valid Content-Length, undefined when absent
 * (chunked or no body), NaN when malformed.
 */
export function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers["content-length"];
  if (value === undefined) return undefined;
  return /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}

/** Whether the request carries a body at all (RFC 9112 §6.3). */
export function hasRequestBody(headers: IncomingHttpHeaders): boolean {
  if (headers["transfer-encoding"] !== undefined) return true;
  const length = declaredLength(headers);
  return length !== undefined && length !== 0;
}
