import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryError } from "../../../../src/delivery/errors.ts";
import { formatOciReference, parseOciReference } from "../../../../src/delivery/stores/oci/reference.ts";

const DIGEST = `sha256:${"a".repeat(64)}`;

function rejects(reference: string, message: RegExp): void {
  assert.throws(() => parseOciReference(reference), (error: unknown) => {
    assert.ok(error instanceof DeliveryError);
    assert.equal(error.reason, "InvalidModelURI");
    assert.match(error.message, message);
    return true;
  });
}

describe("parseOciReference", () => {
  it("reads registry, repository and tag", () => {
    assert.deepEqual(parseOciReference("registry.example.com/models/fraud:v7"), {
      registry: "registry.example.com", repository: "models/fraud", tag: "v7", reference: "v7",
    });
  });

  it("keeps the port with the registry and does not take it for a tag", () => {
    assert.deepEqual(parseOciReference("127.0.0.1:5000/m:1.0"), { registry: "127.0.0.1:5000", repository: "m", tag: "1.0", reference: "1.0" });
    assert.deepEqual(parseOciReference("[::1]:5000/a/b@" + DIGEST), { registry: "[::1]:5000", repository: "a/b", digest: DIGEST, reference: DIGEST });
  });

  it("pulls the digest when a reference has both a tag and a digest", () => {
    const ref = parseOciReference(`localhost:5000/models/x:v1@${DIGEST}`);
    assert.equal(ref.reference, DIGEST);
    assert.equal(ref.tag, "v1");
    assert.equal(formatOciReference(ref), `localhost:5000/models/x:v1@${DIGEST}`);
  });

  it("resolves Docker Hub and its library/ prefix", () => {
    assert.deepEqual(parseOciReference("docker.io/ubuntu:24.04"), { registry: "registry-1.docker.io", repository: "library/ubuntu", tag: "24.04", reference: "24.04" });
    assert.equal(parseOciReference("index.docker.io/org/model:v1").repository, "org/model");
    assert.equal(parseOciReference("Docker.IO/org/model:v1").registry, "registry-1.docker.io");
  });

  it("accepts the separators of the distribution grammar", () => {
    assert.equal(parseOciReference("r.io/a.b/c_d/e__f/g--h:t").repository, "a.b/c_d/e__f/g--h");
  });

  it("refuses what it cannot pull, saying why", () => {
    rejects("r.io/m", /names no tag or digest.*does not assume :latest/);
    rejects("ubuntu:24.04", /must start with the registry host/);
    rejects("/m:v1", /must start with the registry host/);
    rejects("r.io/Models:v1", /not a valid repository name/);
    rejects("r.io/a//b:v1", /not a valid repository name/);
    rejects("r.io/a-:v1", /not a valid repository name/);
    rejects("r.io/:v1", /repository name is empty/);
    rejects("r.io/m:-bad", /not a valid tag/);
    rejects(`r.io/m:${"t".repeat(129)}`, /not a valid tag/);
    rejects("r.io/m@sha256:abc", /not a sha256 digest/);
    rejects(`r.io/m@sha256:${"A".repeat(64)}`, /not a sha256 digest/);
    rejects(`r.io/m@sha512:${"a".repeat(128)}`, /only algorithm MDO verifies/);
    rejects("r.io/m@latest", /is not a digest/);
    rejects("bad_host/m:v1", /not a registry host/);
    rejects(`r.io/${"a".repeat(260)}:v1`, /longer than 255/);
  });
});
