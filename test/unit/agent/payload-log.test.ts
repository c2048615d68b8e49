import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { BodyCapture, PAYLOAD_LOG_MAX_BYTES, PayloadLogger } from "../../../src/agent/payload-log.ts";

describe("BodyCapture", () => {
  it("keeps UTF-8 bodies as text", () => {
    const capture = new BodyCapture();
    capture.add(Buffer.from('{"a":'));
    capture.add(Buffer.from("1}"));
    assert.deepEqual(capture.toLogged(), { encoding: "utf8", data: '{"a":1}', bytes: 7, truncated: false });
  });
  it("keeps binary bodies as base64 and truncates long ones", () => {
    const capture = new BodyCapture();
    capture.add(Buffer.from([0xff, 0x00]));
    assert.equal(capture.toLogged().encoding, "base64");
    const long = new BodyCapture();
    long.add(Buffer.alloc(PAYLOAD_LOG_MAX_BYTES + 10, 0x61));
    const logged = long.toLogged();
    assert.equal(logged.truncated, true);
    assert.equal(logged.bytes, PAYLOAD_LOG_MAX_BYTES + 10);
    assert.equal(logged.data.length, PAYLOAD_LOG_MAX_BYTES);
  });
});

describe("PayloadLogger", () => {
  it("samples at the configured rate", () => {
    const values = [0.1, 0.6, 0.49];
    const logger = new PayloadLogger({ sampleRate: 0.5, out: new PassThrough(), random: () => values.shift() ?? 1 });
    assert.deepEqual([logger.sample(), logger.sample(), logger.sample()], [true, false, true]);
    assert.equal(new PayloadLogger({ sampleRate: 0, out: new PassThrough() }).sample(), false);
    assert.equal(new PayloadLogger({ sampleRate: 1, out: new PassThrough() }).sample(), true);
  });
});
