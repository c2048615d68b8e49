import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryError } from "../../../../src/delivery/errors.ts";
import { MediaTypes, parseManifest } from "../../../../src/delivery/stores/oci/manifest.ts";

const D = `sha256:${"b".repeat(64)}`;
const bytes = (doc: unknown): Uint8Array => Buffer.from(JSON.stringify(doc));
const layer = { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: D, size: 3, annotations: { "org.opencontainers.image.title": "m.bin" } };
const artifact = { schemaVersion: 2, mediaType: MediaTypes.ociManifest, artifactType: "application/vnd.mdo.model", config: { mediaType: "application/vnd.oci.empty.v1+json", digest: D, size: 2 }, layers: [layer] };

describe("parseManifest", () => {
  it("reads an oras artifact manifest, without the config", () => {
    assert.deepEqual(parseManifest(bytes(artifact), `${MediaTypes.ociManifest}; charset=utf-8`, "r/m:v1"), {
      kind: "manifest", mediaType: MediaTypes.ociManifest, artifactType: "application/vnd.mdo.model", layers: [layer],
    });
  });

  it("reads an index by its Content-Type, its mediaType, or its shape", () => {
    const index = { schemaVersion: 2, manifests: [{ mediaType: MediaTypes.ociManifest, digest: D, size: 10, platform: { os: "linux", architecture: "amd64" } }] };
    assert.equal(parseManifest(bytes(index), MediaTypes.dockerManifestList, "r/m:v1").kind, "index");
    assert.equal(parseManifest(bytes({ ...index, mediaType: MediaTypes.ociIndex }), "application/json", "r/m:v1").kind, "index");
    const shaped = parseManifest(bytes(index), undefined, "r/m:v1");
    assert.equal(shaped.kind, "index");
    assert.equal(shaped.mediaType, MediaTypes.ociIndex);
  });

  it("reads a Docker schema 2 image manifest", () => {
    const docker = { schemaVersion: 2, mediaType: MediaTypes.dockerManifest, config: layer, layers: [{ ...layer, mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", annotations: undefined }] };
    const parsed = parseManifest(bytes(docker), MediaTypes.dockerManifest, "r/m:v1");
    assert.equal(parsed.kind === "manifest" && parsed.layers.length, 1);
  });

  it("says what is wrong with what it cannot use", () => {
    const fails = (doc: Uint8Array, type: string | undefined, message: RegExp): void => {
      assert.throws(() => parseManifest(doc, type, "r/m:v1"), (error: unknown) => error instanceof DeliveryError && error.reason === "ModelFetchFailed" && message.test(error.message));
    };
    fails(Buffer.from("<html>"), "text/html", /manifest of r\/m:v1 is not JSON/);
    fails(bytes([1, 2]), undefined, /not an image manifest or an index/);
    fails(bytes({ schemaVersion: 1, fsLayers: [] }), "application/vnd.docker.distribution.manifest.v1+prettyjws", /Docker schema 1/);
    fails(bytes({ schemaVersion: 2, mediaType: "application/vnd.oci.artifact.manifest.v1+json", blobs: [] }), undefined, /names a application\/vnd\.oci\.artifact\.manifest\.v1\+json/);
    fails(bytes({ ...artifact, layers: [{ ...layer, digest: "sha256:../../etc" }] }), MediaTypes.ociManifest, /malformed at layers\.0\.digest/);
    fails(bytes({ ...artifact, layers: [{ ...layer, size: -1 }] }), MediaTypes.ociManifest, /malformed at layers\.0\.size/);
  });
});
