// Answers the agent writes itself (never the model server's).
import type { ServerResponse } from "node:http";

/** A small JSON body `{"error": message}`, the error shape of the Open Inference Protocol. */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

/** The 413: the rest of the body is not read, so the connection closes after the answer. */
export function sendPayloadTooLarge(res: ServerResponse, limit: number): void {
  sendError(res, 413, `request body exceeds ${limit} bytes`, { connection: "close" });
}
