import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryError, DeliveryFailureReasons as R } from "../../../src/delivery/errors.ts";
import { parseTerminationMessage, terminationMessage } from "../../../src/delivery/termination.ts";
import { parseModelUri } from "../../../src/delivery/uri.ts";

describe("termination messages", () => {
  it("are one line '<Reason>: <message>' that the operator parses back", () => {
    const line = terminationMessage(new DeliveryError(R.DigestMismatch, "s3://b/k has digest sha256:aa,\n  but spec.model.digest is sha256:bb"));
    assert.equal(line, "ModelDigestMismatch: s3://b/k has digest sha256:aa, but spec.model.digest is sha256:bb");
    assert.deepEqual(parseTerminationMessage(line), { reason: "ModelDigestMismatch", message: "s3://b/k has digest sha256:aa, but spec.model.digest is sha256:bb" });
  });

  it("give ModelFetchFailed for other errors, and nothing parses from a message of another program", () => {
    assert.equal(terminationMessage(new Error("boom")), "ModelFetchFailed: boom");
    assert.equal(parseTerminationMessage("Traceback: something"), undefined);
    assert.equal(parseTerminationMessage(undefined), undefined);
  });

  it("stay within the kubelet's 4096 bytes", () => {
    const line = terminationMessage(new DeliveryError(R.NotFound, "é".repeat(5000)));
    assert.ok(Buffer.byteLength(line) <= 4096, `${Buffer.byteLength(line)} bytes`);
    assert.ok(line.endsWith("..."));
  });
});

describe("model URIs as the fetcher reads them", () => {
  it("split buckets and keys, dropping trailing slashes", () => {
    assert.deepEqual(parseModelUri("s3://models/iris/v1/"), { scheme: "s3", bucket: "models", key: "iris/v1" });
    assert.deepEqual(parseModelUri("gs://models"), { scheme: "gs", bucket: "models", key: "" });
    assert.deepEqual(parseModelUri("oci://registry.example.com:5000/models/iris:v1"), { scheme: "oci", reference: "registry.example.com:5000/models/iris:v1" });
    assert.deepEqual(parseModelUri("pvc://claim/iris"), { scheme: "pvc", claim: "claim", path: "iris" });
    const https = parseModelUri("https://example.com/m.tar.gz");
    assert.equal(https.scheme === "https" && https.url.pathname, "/m.tar.gz");
  });

  it("refuse credentials in https URLs and unknown schemes", () => {
    assert.throws(() => parseModelUri("https://user:pw@example.com/m"), (e) => e instanceof DeliveryError && e.reason === "InvalidModelURI" && !e.message.includes("pw"));
    assert.throws(() => parseModelUri("hf://org/model"), (e) => e instanceof DeliveryError && e.reason === "InvalidModelURI");
    assert.throws(() => parseModelUri("oci://just-a-name"), (e) => e instanceof DeliveryError && e.reason === "InvalidModelURI");
  });
});
