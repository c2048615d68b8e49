import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declaredLength, downstreamResponseHeaders, hasRequestBody, upstreamRequestHeaders } from "../../../src/agent/headers.ts";

const nothing: ReadonlySet<string> = new Set();

describe("upstreamRequestHeaders", () => {
  it("drops hop-by-hop headers and the ones the Connection header lists", () => {
    const out = upstreamRequestHeaders(
      { connection: "keep-alive, X-Trace", "x-trace": "1", "keep-alive": "timeout=5", te: "trailers", "transfer-encoding": "chunked",
        upgrade: "h2c", "proxy-authorization": "Basic x", "content-type": "application/json", "x-keep": "yes" },
      { clientAddress: undefined, consumed: nothing },
    );
    assert.deepEqual(out, { "content-type": "application/json", "x-keep": "yes", "x-forwarded-proto": "http" });
  });

  it("drops host, expect and the agent's own x-mdo-cache, and sets X-Forwarded-*", () => {
    const out = upstreamRequestHeaders(
      { host: "fraud.ml.svc", expect: "100-continue", "x-mdo-cache": "bypass" },
      { clientAddress: "10.0.0.7", consumed: nothing },
    );
    assert.deepEqual(out, { "x-forwarded-for": "10.0.0.7", "x-forwarded-proto": "http", "x-forwarded-host": "fraud.ml.svc" });
  });

  it("appends to X-Forwarded-For and keeps a proto and host an ingress set", () => {
    const out = upstreamRequestHeaders(
      { host: "inner", "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "api.example.com" },
      { clientAddress: "10.0.0.7", consumed: nothing },
    );
    assert.equal(out["x-forwarded-for"], "203.0.113.9, 10.0.0.7");
    assert.equal(out["x-forwarded-proto"], "https");
    assert.equal(out["x-forwarded-host"], "api.example.com");
  });

  it("never forwards headers the agent consumed (the API key)", () => {
    const out = upstreamRequestHeaders(
      { authorization: "Bearer k", "x-api-key": "k", accept: "*/*" },
      { clientAddress: undefined, consumed: new Set(["authorization", "x-api-key"]) },
    );
    assert.deepEqual(out, { accept: "*/*", "x-forwarded-proto": "http" });
  });
});

describe("downstreamResponseHeaders", () => {
  it("keeps end-to-end headers including repeated Set-Cookie, drops hop-by-hop", () => {
    const out = downstreamResponseHeaders({
      "content-type": "text/event-stream", "transfer-encoding": "chunked", connection: "close, x-internal", "x-internal": "1",
      "keep-alive": "timeout=5", "set-cookie": ["a=1", "b=2"], "content-length": undefined,
    });
    assert.deepEqual(out, { "content-type": "text/event-stream", "set-cookie": ["a=1", "b=2"] });
  });
});

describe("request body detection", () => {
  it("reads Content-Length strictly", () => {
    assert.equal(declaredLength({}), undefined);
    assert.equal(declaredLength({ "content-length": "42" }), 42);
    assert.ok(Number.isNaN(declaredLength({ "content-length": "4x" })));
  });
  it("sees a body when chunked or non-zero length", () => {
    assert.equal(hasRequestBody({}), false);
    assert.equal(hasRequestBody({ "content-length": "0" }), false);
    assert.equal(hasRequestBody({ "content-length": "3" }), true);
    assert.equal(hasRequestBody({ "transfer-encoding": "chunked" }), true);
  });
});
