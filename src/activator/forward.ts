// Sending a request to a backend, exactly once: no retry, whatever failed and whenever.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { forwardedRequestHeaders } from "./headers.ts";
import { Relay } from "./relay.ts";

/** The in-flight call of a request, cancelled when its client leaves. */
export interface Cancellable {
  clientGone(): void;
}

/**
 * Forwards `req` (method, path, query, end-to-end headers) with `body` to the backend at
 * `baseUrl` and relays the answer into `res`; `onCall` receives the call to cancel if the client
 * leaves. Resolves and rejects as Relay.done.
 */
export function forward(
  dispatcher: Dispatcher, req: IncomingMessage, res: ServerResponse, baseUrl: string, body: Buffer | Readable | null,
  onCall: (call: Cancellable) => void,
): Promise<number> {
  const relay = new Relay(res);
  onCall(relay);
  try {
    dispatcher.dispatch({ origin: baseUrl, path: req.url ?? "/", method: req.method ?? "GET", headers: forwardedRequestHeaders(req), body }, relay);
  } catch (error) {
    // A base URL undici refuses, say: nothing was sent.
    relay.onResponseError(null, error instanceof Error ? error : new Error(String(error)));
  }
  return relay.done;
}
