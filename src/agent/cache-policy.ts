// Whether a client asked to skip the prediction cache.
import type { IncomingHttpHeaders } from "node:http";

/** `x-mdo-cache: bypass`, or `Cache-Control: no-cache` / `no-store` (RFC 9111 request directives). */
export function cacheBypassRequested(headers: IncomingHttpHeaders): boolean {
  if (headers["x-mdo-cache"]?.toString().trim().toLowerCase() === "bypass") return true;
  const control = headers["cache-control"];
  if (control === undefined) return false;
  return /(^|[\s,])(no-cache|no-store)([\s,=]|$)/i.test(control);
}
