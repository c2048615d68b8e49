import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { DeliveryError } from "../../../../src/delivery/errors.ts";
import { MediaTypes } from "../../../../src/delivery/stores/oci/manifest.ts";
import { parseOciReference } from "../../../../src/delivery/stores/oci/reference.ts";
import { resolveManifest, sha256Digest, type ManifestSource } from "../../../../src/delivery/stores/oci/resolve.ts";
import type { HttpResponse, ResponseBody } from "../../../../src/delivery/stores/oci/transport.ts";

const LAYER = { mediaType: "application/json", digest: `sha256:${"c".repeat(64)}`, size: 2, annotations: { "org.opencontainers.image.title": "a.json" } };
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociManifest, layers: [LAYER] }));
const MANIFEST_DIGEST = sha256Digest(manifest);
const indexOf = (entries: object[]): Buffer => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: entries }));

/** A registry that serves `documents` by reference and records what was asked. */
function registry(documents: Record<string, Buffer>): ManifestSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get: (path) => {
      asked.push(path);
      const bytes = documents[path.replace("manifests/", "")];
      if (bytes === undefined) return Promise.reject(new DeliveryError("ModelNotFound", `${path} does not exist`));
      const response: HttpResponse = { status: 200, headers: {}, body: Readable.from([bytes]) as unknown as ResponseBody, url: new URL("https://r.io/") };
      return Promise.resolve(response);
    },
  };
}
const signal = AbortSignal.timeout(5000);

describe("resolveManifest", () => {
  it("resolves a tag to its manifest", async () => {
    const resolved = await resolveManifest(registry({ v1: manifest }), parseOciReference("r.io/m:v1"), "amd64", signal);
    assert.equal(resolved.digest, MANIFEST_DIGEST);
    assert.deepEqual(resolved.layers, [LAYER]);
    assert.equal(resolved.description, `r.io/m:v1 → ${MANIFEST_DIGEST}`);
  });

  it("refuses manifest bytes that do not hash to the requested digest, naming both", async () => {
    const wanted = `sha256:${"d".repeat(64)}`;
    await assert.rejects(resolveManifest(registry({ [wanted]: manifest }), parseOciReference(`r.io/m@${wanted}`), "amd64", signal), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.reason, "ModelDigestMismatch");
      assert.match(error.message, new RegExp(`digest ${MANIFEST_DIGEST} for r\\.io/m@${wanted}, which asks for ${wanted}`));
      return true;
    });
  });

  it("follows an index to the entry for the architecture, fetching it by digest", async () => {
    const other = `sha256:${"e".repeat(64)}`;
    const index = indexOf([
      { mediaType: MediaTypes.ociManifest, digest: other, size: 1, platform: { os: "linux", architecture: "amd64" } },
      { mediaType: MediaTypes.ociManifest, digest: MANIFEST_DIGEST, size: manifest.length, platform: { os: "linux", architecture: "arm64" } },
    ]);
    const source = registry({ v1: index, [MANIFEST_DIGEST]: manifest });
    const resolved = await resolveManifest(source, parseOciReference("r.io/m:v1"), "arm64", signal);
    assert.deepEqual(source.asked, ["manifests/v1", `manifests/${MANIFEST_DIGEST}`]);
    assert.equal(resolved.description, `r.io/m:v1 → ${MANIFEST_DIGEST} (linux/arm64 of 2 entries of index ${sha256Digest(index)})`);
  });

  it("checks an index entry's bytes against the entry's digest", async () => {
    const claimed = `sha256:${"f".repeat(64)}`;
    const source = registry({ v1: indexOf([{ mediaType: MediaTypes.ociManifest, digest: claimed, size: 1 }]), [claimed]: manifest });
    await assert.rejects(resolveManifest(source, parseOciReference("r.io/m:v1"), "amd64", signal), (error: unknown) =>
      error instanceof DeliveryError && error.reason === "ModelDigestMismatch" && error.message.includes(`r.io/m@${claimed}, which asks for ${claimed}`));
  });

  it("reports an empty index as NotFound", async () => {
    await assert.rejects(resolveManifest(registry({ v1: indexOf([]) }), parseOciReference("r.io/m:v1"), "amd64", signal), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.reason, "ModelNotFound");
      assert.match(error.message, /r\.io\/m:v1 is an index without manifests/);
      return true;
    });
  });

  it("stops following indexes of indexes after three levels", async () => {
    const documents: Record<string, Buffer> = {};
    let top = indexOf([{ mediaType: MediaTypes.ociIndex, digest: `sha256:${"0".repeat(64)}`, size: 1 }]);
    for (let level = 0; level < 3; level++) {
      documents[sha256Digest(top)] = top;
      top = indexOf([{ mediaType: MediaTypes.ociIndex, digest: sha256Digest(top), size: top.length }]);
    }
    documents.v1 = top;
    await assert.rejects(resolveManifest(registry(documents), parseOciReference("r.io/m:v1"), "amd64", signal), /r\.io\/m:v1 nests indexes more than 3 deep/);
  });
});
