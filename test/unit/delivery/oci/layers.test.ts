import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeliveryError } from "../../../../src/delivery/errors.ts";
import { layerFiles, titleProblem, unpackForMediaType } from "../../../../src/delivery/stores/oci/layers.ts";
import type { OciDescriptor } from "../../../../src/delivery/stores/oci/manifest.ts";

const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, "0")}`;
const layer = (n: number, mediaType: string, annotations?: Record<string, string>): OciDescriptor => ({ mediaType, digest: digest(n), size: 100 + n, ...(annotations ? { annotations } : {}) });
const TITLE = "org.opencontainers.image.title";
const UNPACK = "io.deis.oras.content.unpack";

describe("layerFiles", () => {
  it("saves oras files under their title and never unpacks them, whatever the media type", () => {
    const files = layerFiles([
      layer(1, "application/vnd.oci.image.layer.v1.tar", { [TITLE]: "model.joblib" }),
      layer(2, "application/json", { [TITLE]: "conf/settings.json" }),
      layer(3, "application/vnd.oci.image.layer.v1.tar+gzip", { [TITLE]: "weights.tar.gz" }),
    ], "r/m:v1");
    assert.deepEqual(files, [
      { path: "model.joblib", size: 101, digest: digest(1), mediaType: "application/vnd.oci.image.layer.v1.tar", unpack: "none" },
      { path: "conf/settings.json", size: 102, digest: digest(2), mediaType: "application/json", unpack: "none" },
      { path: "weights.tar.gz", size: 103, digest: digest(3), mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", unpack: "none" },
    ]);
  });

  it("unpacks an oras directory layer as tar+gzip, whatever media type the pusher named", () => {
    const [dir, custom] = layerFiles([
      layer(1, "application/vnd.oci.image.layer.v1.tar+gzip", { [TITLE]: "tokenizer", [UNPACK]: "true" }),
      layer(2, "application/vnd.example.dir", { [TITLE]: "extra", [UNPACK]: "true" }),
    ], "r/m:v1");
    assert.equal(dir?.path, "tokenizer");
    assert.equal(dir?.unpack, "tar+gzip");
    assert.equal(custom?.unpack, "tar+gzip");
  });

  it("names untitled layers layer-<n> and unpacks them by media type", () => {
    const files = layerFiles([
      layer(1, "application/vnd.docker.image.rootfs.diff.tar.gzip"),
      layer(2, "application/vnd.oci.image.layer.v1.tar+gzip"),
      layer(3, "application/vnd.oci.image.layer.v1.tar"),
      layer(4, "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"),
      layer(5, "application/octet-stream"),
      layer(6, "application/vnd.oci.image.layer.v1.tar", { [TITLE]: "" }),
    ], "r/m:v1");
    assert.deepEqual(files.map((f) => [f.path, f.unpack]), [
      ["layer-0", "tar+gzip"], ["layer-1", "tar+gzip"], ["layer-2", "tar"], ["layer-3", "tar+gzip"], ["layer-4", "none"], ["layer-5", "tar"],
    ]);
  });

  it("refuses zstd layers it cannot unpack", () => {
    assert.throws(() => unpackForMediaType("application/vnd.oci.image.layer.v1.tar+zstd", "r/m:v1"), /zstd-compressed layer.*push it with gzip/);
  });

  it("refuses titles that would leave the model directory, as ArchiveCorrupt", () => {
    for (const title of ["../escape", "a/../../b", "/etc/passwd", "a//b", "./a", "dir/", "a\nb"]) {
      assert.throws(() => layerFiles([layer(1, "application/json", { [TITLE]: title })], "r/m:v1"), (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.reason, "ModelArchiveCorrupt");
        assert.match(error.message, /layer 0 of r\/m:v1 has the title/);
        return true;
      }, title);
    }
  });

  it("refuses two layers with one title", () => {
    const twice = [layer(1, "application/json", { [TITLE]: "m.bin" }), layer(2, "application/json", { [TITLE]: "m.bin" })];
    assert.throws(() => layerFiles(twice, "r/m:v1"), /two layers titled "m.bin"/);
  });

  it("accepts ordinary relative paths", () => {
    for (const title of ["model.onnx", "a/b/c.bin", "..hidden", "a..b", "x y"]) assert.equal(titleProblem(title), undefined, title);
  });
});
