import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalBody, cacheKeyJson, predictionCacheKey, type CacheKeyInput } from "../../../src/agent/cache-key.ts";

describe("cacheKeyJson", () => {
  it("sorts keys at every depth and drops whitespace", () => {
    assert.equal(cacheKeyJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it("keeps array order and escapes strings", () => {
    assert.equal(cacheKeyJson(["b", "a", 'q"\n']), '["b","a","q\\"\\n"]');
  });
});

describe("canonicalBody", () => {
  it("canonicalises JSON", () => {
    assert.deepEqual(canonicalBody(Buffer.from('{ "b": 1.0, "a": 2 }')), { tag: "j", bytes: '{"a":2,"b":1}' });
  });
  it("keeps non-JSON and invalid UTF-8 as raw bytes", () => {
    assert.equal(canonicalBody(Buffer.from("not json")).tag, "r");
    const invalid = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"a":"\xff"}
    assert.equal(canonicalBody(invalid).tag, "r");
  });
});

describe("predictionCacheKey", () => {
  const base: CacheKeyInput = {
    model: "iris", version: "v1", route: "infer", target: "/v2/models/iris/infer", vary: ["application/json"],
    body: Buffer.from('{"inputs":[{"name":"x","data":[1,2]}],"id":"a"}'),
  };
  const key = (change: Partial<CacheKeyInput>): string => predictionCacheKey({ ...base, ...change });

  it("is equal for bodies that differ only in key order and whitespace", () => {
    assert.equal(key({}), key({ body: Buffer.from('{ "id": "a", "inputs": [ { "data": [1, 2], "name": "x" } ] }') }));
  });

  it("differs for any input that can change the answer", () => {
    const keys = [
      key({}),
      key({ model: "other" }),
      key({ version: "v2" }),
      key({ route: "predict" }),
      key({ target: "/v2/models/iris/infer?x=1" }),
      key({ vary: ["application/octet-stream"] }),
      key({ body: Buffer.from('{"inputs":[{"name":"x","data":[2,1]}],"id":"a"}') }),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });

  it("separates raw bodies from JSON with the same text after canonicalisation", () => {
    assert.notEqual(key({ body: Buffer.from('{"a":1}') }), key({ body: Buffer.from('{"a":1') }));
    const a = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    const b = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xfe, 0x22, 0x7d]);
    assert.notEqual(key({ body: a }), key({ body: b }));
  });
});
