import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseChallenge, parseChallenges } from "../../../../src/delivery/stores/oci/challenge.ts";

describe("parseChallenges", () => {
  it("reads a Bearer challenge with quoted parameters", () => {
    assert.deepEqual(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"'), [
      { scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/ubuntu:pull" } },
    ]);
  });

  it("reads Basic, lower-cases scheme and parameter names, and allows spaces and escapes", () => {
    assert.deepEqual(parseChallenges('BASIC Realm = "Registry \\"Realm\\"" , charset="UTF-8"'), [
      { scheme: "basic", params: { realm: 'Registry "Realm"', charset: "UTF-8" } },
    ]);
  });

  it("splits several challenges in one value and across repeated headers", () => {
    const challenges = parseChallenges(['Basic realm="r", Bearer realm="https://a/t",service=s', "Negotiate"]);
    assert.deepEqual(challenges.map((c) => c.scheme), ["basic", "bearer", "negotiate"]);
    assert.deepEqual(challenges[1]?.params, { realm: "https://a/t", service: "s" });
  });

  it("takes unquoted values up to the next comma, even URLs", () => {
    assert.deepEqual(parseChallenges("Bearer realm=https://auth.example.com/token,service=reg")[0]?.params, { realm: "https://auth.example.com/token", service: "reg" });
  });

  it("is lenient with garbage and absence", () => {
    assert.deepEqual(parseChallenges(undefined), []);
    assert.deepEqual(parseChallenges(""), []);
    assert.deepEqual(parseChallenges('"oops'), []);
    assert.deepEqual(parseChallenges('Bearer realm="unterminated'), [{ scheme: "bearer", params: { realm: "unterminated" } }]);
  });
});

describe("chooseChallenge", () => {
  it("prefers Bearer with a realm, then Basic", () => {
    const both = parseChallenges('Basic realm="x", Bearer realm="https://a/t"');
    assert.equal(chooseChallenge(both)?.scheme, "bearer");
    assert.equal(chooseChallenge(parseChallenges('Bearer service="x", Basic realm="y"'))?.scheme, "basic");
    assert.equal(chooseChallenge(parseChallenges("Negotiate")), undefined);
  });
});
