import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, it } from "node:test";
import { ByteLimit, readBody, readDeclaredBody } from "../../../src/agent/body.ts";
import { ClientGoneError, PayloadTooLargeError } from "../../../src/agent/errors.ts";

describe("readBody", () => {
  it("collects a body at or under the limit", async () => {
    const body = await readBody(Readable.from([Buffer.from("ab"), Buffer.from("cd")]), 4);
    assert.equal(body.toString(), "abcd");
  });
  it("fails once the counted bytes pass the limit, whatever Content-Length said", async () => {
    await assert.rejects(readBody(Readable.from([Buffer.from("abc"), Buffer.from("de")]), 4), PayloadTooLargeError);
  });
  it("reports a client that aborts mid-body", async () => {
    const stream = new PassThrough();
    const reading = readBody(stream, 100);
    stream.write("ab");
    stream.destroy(new Error("aborted"));
    await assert.rejects(reading, ClientGoneError);
  });
});

/** Sends a raw request in `parts` (ms apart) to a server whose handler runs `read`; resolves with its result. */
async function serverRead(parts: string[], read: (req: IncomingMessage) => Promise<Buffer>): Promise<Buffer | Error> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      read(req).then(resolve, resolve).finally(() => {
        res.end();
        server.close();
        server.closeAllConnections();
      });
    });
    server.listen(0, "127.0.0.1", () => {
      const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
      socket.on("error", () => undefined);
      parts.forEach((part, i) => setTimeout(() => (part === "" ? socket.destroy() : socket.write(part)), i * 30));
    });
  });
}

describe("readDeclaredBody", () => {
  const head = (length: number): string => `POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ${length}\r\n\r\n`;
  it("takes a body that came with the headers", async () => {
    const body = await serverRead([`${head(5)}hello`], (req) => readDeclaredBody(req, 5, 100));
    assert.equal(String(body), "hello");
  });
  it("waits for a body that comes later, in parts", async () => {
    const body = await serverRead([head(10), "hello", "world"], (req) => readDeclaredBody(req, 10, 100));
    assert.equal(String(body), "helloworld");
  });
  it("reports a client that leaves mid-body", async () => {
    const result = await serverRead([`${head(10)}hel`, ""], (req) => readDeclaredBody(req, 10, 100));
    assert.ok(result instanceof ClientGoneError);
  });
});

describe("ByteLimit", () => {
  it("passes bytes through, counting and tapping them", async () => {
    const seen: string[] = [];
    const limit = new ByteLimit(10, (chunk) => seen.push(chunk.toString()));
    const out: Buffer[] = [];
    await pipeline(Readable.from([Buffer.from("abc"), Buffer.from("def")]), limit, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    });
    assert.equal(Buffer.concat(out).toString(), "abcdef");
    assert.deepEqual(seen, ["abc", "def"]);
    assert.equal(limit.bytes, 6);
  });
  it("errors past the limit", async () => {
    const limit = new ByteLimit(4);
    await assert.rejects(
      pipeline(Readable.from([Buffer.from("abc"), Buffer.from("de")]), limit, async (source: AsyncIterable<Buffer>) => {
        for await (const _ of source) { /* drain */ }
      }),
      PayloadTooLargeError,
    );
  });
});
