import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import type { HttpRequest, HttpResponse } from "@smithy/types";
import { DeliveryError } from "../../../src/delivery/errors.ts";
import { isPushedBody, type ByteSink, type PushedBody } from "../../../src/delivery/store.ts";
import { parseResponseHead, RawHttpHandler } from "../../../src/delivery/stores/raw-http-handler.ts";

const body = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 7) % 256));
/** The response's body as the downloader uses it. */
function pushed(response: HttpResponse): PushedBody {
  const { body } = response as { body: unknown };
  assert.ok(isPushedBody(body), "a 2xx body can be pushed into a sink");
  return body;
}

const seen: { url: string; headers: IncomingMessage["headers"] }[] = [];

/** What the test server does for each path. */
function serve(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ url: req.url ?? "", headers: req.headers });
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const socket = res.socket as Socket;
  switch (path) {
    case "/object":
      res.writeHead(200, { "content-length": body.length, etag: '"e"' }).end(body);
      return;
    case "/truncated":
      res.writeHead(200, { "content-length": body.length });
      res.write(body.subarray(0, 1000), () => socket.destroy());
      return;
    case "/missing":
      res.writeHead(404, { "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>");
      return;
    case "/chunked":
      res.writeHead(200, { "transfer-encoding": "chunked" }).end("abc");
      return;
    case "/stall":
      res.writeHead(200, { "content-length": 10 });
      res.write("12345"); // and nothing more
      return;
    default:
      res.writeHead(500).end();
  }
}

describe("RawHttpHandler", () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer(serve);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const handler = new RawHttpHandler({ idleTimeoutMs: 2_000 });
  const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
    method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path, query: {}, headers: { authorization: "AWS4-HMAC-SHA256 x" }, ...extra,
  });
  /** A sink that keeps copies, and makes the body wait on every third write. */
  const collecting = (): ByteSink & { bytes: () => Buffer; waits: number } => {
    const chunks: Buffer[] = [];
    let n = 0;
    const sink = {
      waits: 0,
      write: (b: Uint8Array) => {
        chunks.push(Buffer.from(b));
        if (++n % 3 !== 0) return undefined;
        sink.waits++;
        return new Promise<void>((resolve) => setTimeout(resolve, 1));
      },
      bytes: () => Buffer.concat(chunks),
    };
    return sink;
  };

  it("sends the SDK's request as is (query escaped, Host and Connection: close added) and pushes the body into a sink that asks to wait", async () => {
    const { response } = await handler.handle(get("/object", { query: { "x-id": "GetObject", "a b": "c/d*", flag: null } }));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-length"], String(body.length));
    assert.equal(response.headers.etag, '"e"');
    const sink = collecting();
    await pushed(response).pipeInto(sink);
    assert.ok(sink.bytes().equals(body), "every byte, in order");
    assert.ok(sink.waits > 0);
    const request = seen.at(-1)!;
    assert.equal(request.url, "/object?x-id=GetObject&a%20b=c%2Fd%2A&flag");
    assert.equal(request.headers.host, `127.0.0.1:${port}`);
    assert.equal(request.headers.connection, "close");
    assert.equal(request.headers.authorization, "AWS4-HMAC-SHA256 x");
  });

  it("is a Readable too, for callers that stream it", async () => {
    const { response } = await handler.handle(get("/object"));
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
    assert.ok(Buffer.concat(chunks).equals(body));
  });

  it("fails a body cut short with a retryable connection error (ECONNRESET)", async () => {
    const { response } = await handler.handle(get("/truncated"));
    await assert.rejects(pushed(response).pipeInto(collecting()), (e: NodeJS.ErrnoException) => e.code === "ECONNRESET" && /after 1000 of 3145745 bytes/.test(e.message));
  });

  it("hands an error answer's body to the SDK to parse", async () => {
    const { response } = await handler.handle(get("/missing"));
    assert.equal(response.statusCode, 404);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
    assert.match(Buffer.concat(chunks).toString(), /<Code>NoSuchKey<\/Code>/);
  });

  it("refuses a successful answer without Content-Length", async () => {
    await assert.rejects(handler.handle(get("/chunked")), (e: unknown) => e instanceof DeliveryError && /without a Content-Length/.test(e.message));
  });

  it("fails a connection that goes quiet (retryable), and stops at once when aborted", async () => {
    const quick = new RawHttpHandler({ idleTimeoutMs: 200 });
    const { response } = await quick.handle(get("/stall"));
    await assert.rejects(pushed(response).pipeInto(collecting()), (e: unknown) => e instanceof DeliveryError && e.retryable && /sent nothing for 0.2 s/.test(e.message));
    const abort = new AbortController();
    const stalled = await handler.handle(get("/stall"), { abortSignal: abort.signal });
    const reading = pushed(stalled.response).pipeInto(collecting());
    abort.abort(Object.assign(new Error("stopped"), { name: "AbortError" }));
    await assert.rejects(reading, (e: Error) => e.name === "AbortError");
    await assert.rejects(handler.handle(get("/object"), { abortSignal: abort.signal }), (e: Error) => e.name === "AbortError");
  });

  it("parses response heads: status, reason, lower-case names, repeated headers joined", () => {
    assert.deepEqual(parseResponseHead("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nX-A: 1\r\nx-a: 2"), {
      statusCode: 206, reason: "Partial Content", headers: { "content-range": "bytes 5-9/10", "x-a": "1, 2" },
    });
    assert.throws(() => parseResponseHead("SSH-2.0-OpenSSH"), DeliveryError);
  });
});
