import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryError } from "../../../../src/delivery/errors.ts";
import { bytesToSkip, contentRangeStart } from "../../../../src/delivery/stores/oci/blob.ts";
import { registryWords, statusError } from "../../../../src/delivery/stores/oci/registry-client.ts";

const denied = (detail: string): DeliveryError => new DeliveryError("ModelAccessDenied", `access to x was denied with Secret s${detail}`);

describe("statusError", () => {
  it("maps statuses to reasons, quoting the registry", () => {
    const notFound = statusError(404, "the manifest of r/m:v1", "MANIFEST_UNKNOWN: manifest unknown", denied);
    assert.equal(notFound.reason, "ModelNotFound");
    assert.equal(notFound.message, "the manifest of r/m:v1 does not exist (MANIFEST_UNKNOWN: manifest unknown)");
    assert.equal(statusError(403, "x", undefined, denied).message, "access to x was denied with Secret s");
    assert.equal(statusError(401, "x", "UNAUTHORIZED: authentication required", denied).message, "access to x was denied with Secret s (UNAUTHORIZED: authentication required)");
    for (const status of [408, 429, 500, 502, 503]) {
      const error = statusError(status, "x", undefined, denied);
      assert.equal(error.reason, "ModelStorageUnreachable");
      assert.equal(error.retryable, true);
    }
    const other = statusError(400, "x", undefined, denied);
    assert.equal(other.reason, "ModelFetchFailed");
    assert.equal(other.retryable, false);
  });
});

describe("registryWords", () => {
  it("reads the first error of a distribution error body", () => {
    assert.equal(registryWords('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{}}]}'), "NAME_UNKNOWN: repository name not known to registry");
    assert.equal(registryWords('{"errors":[]}'), undefined);
    assert.equal(registryWords("<html>502</html>"), undefined);
    assert.equal(registryWords(""), undefined);
  });
});

describe("ranges", () => {
  it("reads the start of a Content-Range", () => {
    assert.equal(contentRangeStart("bytes 100-199/200"), 100);
    assert.equal(contentRangeStart("bytes 0-9/*"), 0);
    assert.equal(contentRangeStart("items 1-2/3"), undefined);
    assert.equal(contentRangeStart(undefined), undefined);
  });

  it("skips what a server sent before the offset, and refuses what it cannot serve", () => {
    assert.equal(bytesToSkip(200, undefined, 0), 0);
    assert.equal(bytesToSkip(206, "bytes 100-199/200", 100), 0);
    assert.equal(bytesToSkip(200, undefined, 100), 100);
    assert.equal(bytesToSkip(206, "bytes 40-199/200", 100), 60);
    assert.equal(bytesToSkip(206, "bytes 150-199/200", 100), undefined);
    assert.equal(bytesToSkip(206, undefined, 100), undefined);
    assert.equal(bytesToSkip(204, undefined, 100), undefined);
  });
});
