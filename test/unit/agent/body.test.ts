import assert from "node:assert/strict";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, it } from "node:test";
import { ByteLimit, readBody } from "../../../src/agent/body.ts";
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
