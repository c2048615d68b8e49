import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentialsOf, NO_CREDENTIALS } from "../../../../src/delivery/credentials.ts";
import { DeliveryError } from "../../../../src/delivery/errors.ts";
import { findRegistryCredential, registryHostOf, resolveRegistryCredential } from "../../../../src/delivery/stores/oci/docker-config.ts";

const b64 = (s: string): string => Buffer.from(s).toString("base64");
const config = (auths: Record<string, unknown>): string => JSON.stringify({ auths });

describe("registryHostOf", () => {
  it("reduces dockerconfig keys to host[:port]", () => {
    assert.equal(registryHostOf("https://Reg.Example.com/v1/"), "reg.example.com");
    assert.equal(registryHostOf("reg.example.com:443"), "reg.example.com");
    assert.equal(registryHostOf("http://127.0.0.1:5000"), "127.0.0.1:5000");
    assert.equal(registryHostOf("https://index.docker.io/v1/"), "registry-1.docker.io");
    assert.equal(registryHostOf("docker.io"), "registry-1.docker.io");
  });
});

describe("findRegistryCredential", () => {
  it("decodes auth, keeping colons in the password", () => {
    assert.deepEqual(findRegistryCredential(config({ "r.io": { auth: b64("alice:pa:ss") } }), "r.io", "s"), { username: "alice", password: "pa:ss" });
  });

  it("reads username/password and identitytoken entries", () => {
    assert.deepEqual(findRegistryCredential(config({ "r.io": { username: "u", password: "p" } }), "r.io", "s"), { username: "u", password: "p" });
    assert.deepEqual(findRegistryCredential(config({ "r.io": { auth: b64("<token>:"), identitytoken: "refresh" } }), "r.io", "s"), { username: "<token>", identityToken: "refresh" });
  });

  it("matches https:// keys, :443 and Docker Hub aliases, preferring the exact key", () => {
    assert.deepEqual(findRegistryCredential(config({ "https://r.io/v1/": { username: "a", password: "1" } }), "r.io", "s"), { username: "a", password: "1" });
    assert.deepEqual(findRegistryCredential(config({ "r.io:443": { username: "a", password: "1" } }), "r.io", "s"), { username: "a", password: "1" });
    assert.deepEqual(findRegistryCredential(config({ "https://index.docker.io/v1/": { username: "d", password: "h" } }), "registry-1.docker.io", "s"), { username: "d", password: "h" });
    const twice = config({ "https://r.io": { username: "alias", password: "1" }, "r.io": { username: "exact", password: "2" } });
    assert.equal(findRegistryCredential(twice, "r.io", "s")?.username, "exact");
  });

  it("does not match another port or host", () => {
    assert.equal(findRegistryCredential(config({ "r.io:5000": { username: "a", password: "1" } }), "r.io", "s"), undefined);
    assert.equal(findRegistryCredential(config({ "other.io": { username: "a", password: "1" } }), "r.io", "s"), undefined);
    assert.equal(findRegistryCredential(JSON.stringify({ credsStore: "desktop" }), "r.io", "s"), undefined);
    assert.equal(findRegistryCredential(config({ "r.io": {} }), "r.io", "s"), undefined);
  });

  it("refuses malformed JSON without quoting it", () => {
    assert.throws(() => findRegistryCredential('{"auths": {"r.io": {"auth": "c2VjcmV0"', "r.io", "regcred"), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.match(error.message, /\.dockerconfigjson key of Secret regcred is not a docker config/);
      assert.doesNotMatch(error.message, /c2VjcmV0/);
      assert.equal(error.cause, undefined);
      return true;
    });
    assert.throws(() => findRegistryCredential(config({ "r.io": { auth: b64("nocolon") } }), "r.io", "regcred"), /not base64\("user:password"\)/);
  });
});

describe("resolveRegistryCredential", () => {
  it("says why a pull is anonymous", () => {
    assert.match(resolveRegistryCredential(NO_CREDENTIALS, "r.io").described, /^anonymously/);
    assert.match(resolveRegistryCredential(credentialsOf("regcred", new Map()), "r.io").described, /anonymously \(Secret regcred has no \.dockerconfigjson key\)/);
    const other = credentialsOf("regcred", new Map([[".dockerconfigjson", config({ "x.io": { auth: b64("a:b") } })]]));
    assert.match(resolveRegistryCredential(other, "r.io").described, /has no entry for r\.io/);
    const found = resolveRegistryCredential(credentialsOf("regcred", new Map([[".dockerconfigjson", config({ "r.io": { auth: b64("a:b") } })]])), "r.io");
    assert.equal(found.described, "with Secret regcred");
    assert.deepEqual(found.credential, { username: "a", password: "b" });
  });
});
