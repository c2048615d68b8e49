// An AWS SDK request handler for object bodies: each request on a connection of its own (HTTP/1.1,
// `Connection: close`), the response's head parsed here and its body a RawBody read through one
// reused buffer. The SDK still resolves credentials, endpoints and addressing, signs, and parses
// errors; only the transport differs from its Node.js handler, whose per-read buffers made the
// garbage collector the largest CPU cost of a download (docs/benchmarks.md, bench:fetch).
//
// Scope: GET requests whose 2xx answers carry Content-Length (S3 GetObject always does); other
// answers are read whole (up to 1 MiB) for the SDK to parse. Used for GetObject only.
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from "@smithy/types";
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { Readable } from "node:stream";
import { connect as connectTls } from "node:tls";
import { DeliveryError, DeliveryFailureReasons as R } from "../errors.ts";
import { RawBody } from "./raw-body.ts";

const READ_BUFFER_BYTES = 256 * 1024;
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_ERROR_BODY_BYTES = 1024 * 1024;
/** Read buffers of closed connections kept for the next ones. */
const MAX_SPARE_READ_BUFFERS = 16;

export interface RawHttpHandlerOptions {
  /** CA certificates for TLS (undefined: the system's roots). */
  readonly ca?: readonly string[];
  /** A connection with no bytes moving for this long fails (retryable). */
  readonly idleTimeoutMs: number;
}

/** RFC 3986 escaping of a query component, as the SDK's signer canonicalises it. */
function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function requestHead(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {}).flatMap(([key, value]) => {
    if (value === null || value === undefined) return [escape(key)];
    return (Array.isArray(value) ? value : [value]).map((v: string) => `${escape(key)}=${escape(v)}`);
  });
  const target = `${request.path}${query.length > 0 ? `?${query.join("&")}` : ""}`;
  const headers: Record<string, string> = { ...request.headers };
  const names = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  if (!names.has("host")) headers.host = request.port === undefined ? request.hostname : `${request.hostname}:${request.port}`;
  if (!names.has("connection")) headers.connection = "close";
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new DeliveryError(R.InvalidUri, `the request header ${name} contains a line break`);
  }
  return `${request.method} ${target} HTTP/1.1\r\n${Object.entries(headers).map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
}

interface ResponseHead {
  readonly statusCode: number;
  readonly reason: string;
  readonly headers: Record<string, string>;
}

/** Parses a response head (without the blank line). Throws on anything but HTTP/1.x. */
export function parseResponseHead(text: string): ResponseHead {
  const [statusLine = "", ...lines] = text.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (match === null) throw new DeliveryError(R.Failed, `the store answered with something that is not HTTP/1.1: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { statusCode: Number(match[1]), reason: match[2] ?? "", headers };
}

export class RawHttpHandler {
  private readonly options: RawHttpHandlerOptions;
  private readonly spareReadBuffers: Buffer[] = [];

  constructor(options: RawHttpHandlerOptions) {
    this.options = options;
  }

  handle(request: HttpRequest, handlerOptions: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const signal = handlerOptions.abortSignal as AbortSignal | undefined;
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (request.method !== "GET") return Promise.reject(new Error(`RawHttpHandler sends GET requests only, not ${request.method}`));
    let head: string;
    try {
      head = requestHead(request);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      const buffer = this.spareReadBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
      let headBytes = Buffer.alloc(0);
      let phase: "head" | "body" | "error-body" | "done" = "head";
      let body: RawBody | undefined;
      let errorBody: Buffer[] = [];
      let errorLength = 0;
      let response: ResponseHead | undefined;
      const onAbort = (): void => {
        const reason: unknown = signal?.reason;
        socket.destroy(reason instanceof Error ? reason : new Error(String(reason)));
      };

      const finishError = (): void => {
        if (phase !== "error-body" || response === undefined) return;
        phase = "done";
        resolve({ response: { statusCode: response.statusCode, reason: response.reason, headers: response.headers, body: Readable.from([Buffer.concat(errorBody)]) } });
      };

      const onHead = (view: Uint8Array): boolean => {
        headBytes = Buffer.concat([headBytes, view]);
        const end = headBytes.indexOf("\r\n\r\n");
        if (end < 0) {
          if (headBytes.length > MAX_HEAD_BYTES) socket.destroy(new DeliveryError(R.Failed, `the store's response head exceeds ${MAX_HEAD_BYTES} bytes`));
          return true;
        }
        try {
          response = parseResponseHead(headBytes.subarray(0, end).toString("latin1"));
        } catch (error) {
          socket.destroy(error as Error);
          return false;
        }
        const rest = headBytes.subarray(end + 4);
        const { statusCode, headers } = response;
        if (statusCode >= 200 && statusCode < 300) {
          if (headers["transfer-encoding"] !== undefined || headers["content-length"] === undefined || !/^\d+$/.test(headers["content-length"])) {
            socket.destroy(new DeliveryError(R.Failed, `the store answered ${statusCode} without a Content-Length (transfer-encoding ${headers["transfer-encoding"] ?? "none"})`));
            return false;
          }
          phase = "body";
          body = new RawBody(socket, Number(headers["content-length"]), rest);
          resolve({ response: { statusCode, reason: response.reason, headers, body } });
          return false; // paused until the body is read
        }
        phase = "error-body";
        errorBody = [Buffer.from(rest)];
        errorLength = rest.length;
        return true;
      };

      const onread = (length: number, view: Uint8Array): boolean => {
        const bytes = view.subarray(0, length);
        if (phase === "head") return onHead(bytes);
        if (phase === "body") return body!.feed(bytes);
        if (phase === "error-body" && errorLength < MAX_ERROR_BODY_BYTES) {
          errorBody.push(Buffer.from(bytes));
          errorLength += bytes.length;
        }
        return true;
      };

      const port = request.port ?? (request.protocol === "https:" ? 443 : 80);
      const common = { host: request.hostname, port, onread: { buffer, callback: onread } };
      const socket: Socket =
        request.protocol === "https:"
          ? connectTls({ ...common, ...(isIP(request.hostname) === 0 && { servername: request.hostname }), ...(this.options.ca && { ca: [...this.options.ca] }) })
          : connectTcp(common);
      socket.once(request.protocol === "https:" ? "secureConnect" : "connect", () => socket.write(head));
      socket.setTimeout(this.options.idleTimeoutMs, () => {
        socket.destroy(new DeliveryError(R.Unreachable, `${request.hostname} sent nothing for ${this.options.idleTimeoutMs / 1000} s`, { retryable: true }));
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      let failure: Error | undefined;
      socket.on("error", (error) => (failure = error));
      socket.on("close", () => {
        signal?.removeEventListener("abort", onAbort);
        // No read can land in the buffer after close: the next connection may have it.
        if (this.spareReadBuffers.length < MAX_SPARE_READ_BUFFERS) this.spareReadBuffers.push(buffer);
        if (phase === "head") reject(failure ?? Object.assign(new Error("the store closed the connection before answering"), { code: "ECONNRESET" }));
        else if (phase === "error-body") {
          if (failure === undefined) finishError();
          else reject(failure);
        } else if (phase === "body") body!.connectionEnded(failure);
      });
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
