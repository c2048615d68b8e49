import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { upstreamErrorKind } from "../../../src/agent/upstream-errors.ts";

const withCode = (code: string, cause?: unknown): Error => Object.assign(new Error(code, { cause }), { code });

describe("upstreamErrorKind", () => {
  it("classifies by code", () => {
    assert.equal(upstreamErrorKind(withCode("ECONNREFUSED")), "connect");
    assert.equal(upstreamErrorKind(withCode("UND_ERR_CONNECT_TIMEOUT")), "connect");
    assert.equal(upstreamErrorKind(withCode("UND_ERR_HEADERS_TIMEOUT")), "timeout");
    assert.equal(upstreamErrorKind(withCode("UND_ERR_BODY_TIMEOUT")), "timeout");
    assert.equal(upstreamErrorKind(withCode("ECONNRESET")), "reset");
    assert.equal(upstreamErrorKind(withCode("UND_ERR_SOCKET")), "reset");
    assert.equal(upstreamErrorKind(withCode("UND_ERR_INVALID_ARG")), "other");
    assert.equal(upstreamErrorKind("nonsense"), "other");
  });
  it("looks through causes", () => {
    assert.equal(upstreamErrorKind(new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") })), "connect");
  });
});
