import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiKeys, parseApiKeys } from "../../../src/agent/api-keys.ts";
import { isAuthorized, presentedApiKey } from "../../../src/agent/auth.ts";

describe("parseApiKeys", () => {
  it("reads one key per line, trimming whitespace and CRLF, skipping blanks", () => {
    assert.deepEqual(parseApiKeys("alpha\r\n\n  beta  \ngamma"), ["alpha", "beta", "gamma"]);
    assert.deepEqual(parseApiKeys("\n \n"), []);
  });
});

describe("ApiKeys", () => {
  it("accepts every listed key and nothing else", () => {
    const keys = new ApiKeys(["alpha", "beta"]);
    assert.equal(keys.verify("alpha"), true);
    assert.equal(keys.verify("beta"), true);
    assert.equal(keys.verify("alph"), false);
    assert.equal(keys.verify("alphaa"), false);
    assert.equal(keys.verify(""), false);
  });
  it("rejects everything when empty, and follows a replace", () => {
    const keys = new ApiKeys();
    assert.equal(keys.verify("alpha"), false);
    keys.replace(["new"]);
    assert.equal(keys.verify("new"), true);
    keys.replace([]);
    assert.equal(keys.verify("new"), false);
  });
});

describe("presentedApiKey", () => {
  it("takes a Bearer token (any case) or x-api-key", () => {
    assert.equal(presentedApiKey({ authorization: "Bearer s3cret" }), "s3cret");
    assert.equal(presentedApiKey({ authorization: "bearer   s3cret " }), "s3cret");
    assert.equal(presentedApiKey({ "x-api-key": "k2" }), "k2");
    assert.equal(presentedApiKey({ authorization: "Bearer a", "x-api-key": "b" }), "a");
  });
  it("ignores other schemes and empty values", () => {
    assert.equal(presentedApiKey({ authorization: "Basic dXNlcjpwYXNz" }), undefined);
    assert.equal(presentedApiKey({ authorization: "Bearer " }), undefined);
    assert.equal(presentedApiKey({ "x-api-key": "" }), undefined);
    assert.equal(presentedApiKey({}), undefined);
  });
  it("isAuthorized combines both", () => {
    const keys = new ApiKeys(["k"]);
    assert.equal(isAuthorized({ "x-api-key": "k" }, keys), true);
    assert.equal(isAuthorized({ authorization: "Basic k" }, keys), false);
    assert.equal(isAuthorized({}, keys), false);
  });
});
