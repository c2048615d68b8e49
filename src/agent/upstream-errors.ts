// Classifying failures of upstream calls into the kinds the metrics and status codes use.

/** `connect`: nothing listens or the connect timed out; `timeout`: no answer within timeoutMs;
 *  `reset`: the connection broke mid-exchange; `other`: anything else (malformed response…). */
export const UPSTREAM_ERROR_KINDS = ["connect", "timeout", "reset", "other"] as const;
export type UpstreamErrorKind = (typeof UPSTREAM_ERROR_KINDS)[number];

const CONNECT = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);
const TIMEOUT = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "UND_ERR_DESTROYED", "ECONNABORTED"]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** The kind of an error thrown by an undici call, looking through `cause` chains. */
export function upstreamErrorKind(error: unknown): UpstreamErrorKind {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = codeOf(current);
    if (code !== undefined) {
      if (CONNECT.has(code)) return "connect";
      if (TIMEOUT.has(code)) return "timeout";
      if (RESET.has(code)) return "reset";
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return "other";
}
