import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cacheBypassRequested } from "../../../src/agent/cache-policy.ts";

describe("cacheBypassRequested", () => {
  it("honours x-mdo-cache: bypass and Cache-Control no-cache / no-store", () => {
    assert.equal(cacheBypassRequested({}), false);
    assert.equal(cacheBypassRequested({ "x-mdo-cache": "bypass" }), true);
    assert.equal(cacheBypassRequested({ "x-mdo-cache": " BYPASS " }), true);
    assert.equal(cacheBypassRequested({ "cache-control": "no-cache" }), true);
    assert.equal(cacheBypassRequested({ "cache-control": "max-age=0, no-store" }), true);
    assert.equal(cacheBypassRequested({ "cache-control": "max-age=60" }), false);
    assert.equal(cacheBypassRequested({ "cache-control": "x-no-cache-ish" }), false);
  });
});
