// API-key authentication of client requests: `Authorization: Bearer <key>` or `x-api-key: <key>`.
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { ApiKeys } from "./api-keys.ts";

/** Headers that carry the key; the agent consumes them, they never reach the model server or a log. */
export const API_KEY_HEADERS: ReadonlySet<string> = new Set(["authorization", "x-api-key"]);

/** The key a request presents, or undefined. A Bearer token wins over x-api-key. */
export function presentedApiKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const space = authorization.indexOf(" ");
    if (space > 0 && authorization.slice(0, space).toLowerCase() === "bearer") {
      const token = authorization.slice(space + 1).trim();
      if (token !== "") return token;
    }
  }
  const header = headers["x-api-key"];
  const key = (Array.isArray(header) ? header[0] : header)?.trim();
  return key === undefined || key === "" ? undefined : key;
}

/** Whether the request presents an accepted key. */
export function isAuthorized(headers: IncomingHttpHeaders, keys: ApiKeys): boolean {
  const key = presentedApiKey(headers);
  return key !== undefined && keys.verify(key);
}

const UNAUTHORIZED_BODY = JSON.stringify({ error: "unauthorized" });

/** The 401: the same body for a missing, malformed or wrong key, so it reveals nothing. */
export function sendUnauthorized(res: ServerResponse): void {
  res.writeHead(401, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(UNAUTHORIZED_BODY),
    "www-authenticate": 'Bearer realm="mdo", charset="UTF-8"',
    "cache-control": "no-store",
  });
  res.end(UNAUTHORIZED_BODY);
}
