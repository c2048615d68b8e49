import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { CONFIRM_HEADER, newConfirmToken, refusal } from "../../../src/dashboard/writes.ts";

const request = (headers: IncomingMessage["headers"]): IncomingMessage => ({ headers }) as IncomingMessage;
const TOKEN = newConfirmToken();
const HOST = "127.0.0.1:8080";

describe("newConfirmToken", () => {
  it("is 24 random bytes in base64url, new each time", () => {
    const tokens = new Set(Array.from({ length: 50 }, newConfirmToken));
    assert.equal(tokens.size, 50);
    for (const t of tokens) assert.match(t, /^[A-Za-z0-9_-]{32}$/);
  });
});

describe("refusal", () => {
  it("refuses a token of the right length in characters but not in bytes, instead of throwing", () => {
    const why = refusal(request({ host: HOST, [CONFIRM_HEADER]: "é".repeat(TOKEN.length) }), true, TOKEN);
    assert.match(why ?? "", /needs the confirmation header/);
  });
  it("allows a request with the token from this server's own origin", () => {
    assert.equal(refusal(request({ host: HOST, [CONFIRM_HEADER]: TOKEN, origin: `http://${HOST}` }), true, TOKEN), undefined);
  });

  it("allows a request with the token and no Origin (not a browser's cross-site request)", () => {
    assert.equal(refusal(request({ host: HOST, [CONFIRM_HEADER]: TOKEN }), true, TOKEN), undefined);
  });

  it("refuses every request, even a right one, when writes are not allowed", () => {
    const why = refusal(request({ host: HOST, [CONFIRM_HEADER]: TOKEN, origin: `http://${HOST}` }), false, TOKEN);
    assert.match(why ?? "", /read-only.*--allow-writes/);
  });

  it("refuses a request without the token, with another token of the same length, or with a prefix of it", () => {
    const wrong = newConfirmToken();
    for (const headers of [{}, { [CONFIRM_HEADER]: wrong }, { [CONFIRM_HEADER]: TOKEN.slice(0, -1) }, { [CONFIRM_HEADER]: `${TOKEN}x` }, { [CONFIRM_HEADER]: "" }]) {
      const why = refusal(request({ host: HOST, origin: `http://${HOST}`, ...headers }), true, TOKEN);
      assert.match(why ?? "", new RegExp(`confirmation header ${CONFIRM_HEADER}`), JSON.stringify(headers));
    }
  });

  it("refuses the right token from another origin, another port, https, or an opaque origin", () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:9999", `https://${HOST}`, "null"]) {
      const why = refusal(request({ host: HOST, [CONFIRM_HEADER]: TOKEN, origin }), true, TOKEN);
      assert.equal(why, `Writes from origin ${origin} are refused.`);
    }
  });

  it("refuses an Origin when the request names no host", () => {
    const why = refusal(request({ [CONFIRM_HEADER]: TOKEN, origin: `http://${HOST}` }), true, TOKEN);
    assert.equal(why, `Writes from origin http://${HOST} are refused.`);
  });
});
