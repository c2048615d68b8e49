import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenRequest } from "../../../../src/delivery/stores/oci/auth.ts";

const challenge = { scheme: "bearer", params: { realm: "https://auth.example.com/token", service: "registry.example.com", scope: "repository:models/fraud:pull" } };

describe("tokenRequest", () => {
  it("asks for pull on the repository with GET, credentials going in a header, not the URL", () => {
    const { url, form } = tokenRequest(challenge, "models/fraud", { username: "u", password: "p" });
    assert.equal(form, undefined);
    assert.equal(url.toString(), "https://auth.example.com/token?service=registry.example.com&scope=repository%3Amodels%2Ffraud%3Apull");
  });

  it("adds a different scope the registry asked for", () => {
    const { url } = tokenRequest({ ...challenge, params: { ...challenge.params, scope: "repository:models/fraud:pull,push" } }, "models/fraud", undefined);
    assert.deepEqual(url.searchParams.getAll("scope"), ["repository:models/fraud:pull", "repository:models/fraud:pull,push"]);
  });

  it("exchanges an identity token as an OAuth2 refresh token in a POST form", () => {
    const { url, form } = tokenRequest(challenge, "models/fraud", { identityToken: "refresh-me" });
    assert.equal(url.search, "");
    assert.equal(form?.get("grant_type"), "refresh_token");
    assert.equal(form?.get("refresh_token"), "refresh-me");
    assert.equal(form?.get("service"), "registry.example.com");
    assert.equal(form?.get("scope"), "repository:models/fraud:pull");
    assert.equal(form?.get("client_id"), "mdo");
  });

  it("throws for a realm that is not a URL", () => {
    assert.throws(() => tokenRequest({ scheme: "bearer", params: { realm: "not a url" } }, "m", undefined), TypeError);
  });
});
