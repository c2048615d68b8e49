import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { OciDescriptor, OciPlatform } from "../../../../src/delivery/stores/oci/manifest.ts";
import { choosePlatform, ociArchitecture } from "../../../../src/delivery/stores/oci/platform.ts";

let n = 0;
function entry(platform?: OciPlatform, annotations?: Record<string, string>): OciDescriptor {
  n++;
  return { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${n.toString(16).padStart(64, "0")}`, size: 500, ...(platform ? { platform } : {}), ...(annotations ? { annotations } : {}) };
}

describe("choosePlatform", () => {
  const amd64 = entry({ os: "linux", architecture: "amd64" });
  const arm64 = entry({ os: "linux", architecture: "arm64", variant: "v8" });
  const windows = entry({ os: "windows", architecture: "amd64" });
  const attestation = entry({ os: "unknown", architecture: "unknown" }, { "vnd.docker.reference.type": "attestation-manifest" });

  it("prefers an entry without a platform", () => {
    const bare = entry();
    const choice = choosePlatform([amd64, bare, arm64], "amd64");
    assert.equal(choice?.descriptor, bare);
    assert.equal(choice?.why, "the entry without a platform of 3 entries");
  });

  it("takes linux and this architecture otherwise", () => {
    assert.equal(choosePlatform([windows, amd64, arm64], "arm64")?.descriptor, arm64);
    assert.equal(choosePlatform([windows, amd64, arm64], "arm64")?.why, "linux/arm64/v8 of 3 entries");
    assert.equal(choosePlatform([windows, amd64, arm64], "amd64")?.descriptor, amd64);
  });

  it("falls back to the first entry and says so", () => {
    const choice = choosePlatform([windows, arm64], "amd64");
    assert.equal(choice?.descriptor, windows);
    assert.equal(choice?.why, "windows/amd64, the first of 2 entries (none is linux/amd64)");
  });

  it("never takes a build attestation", () => {
    assert.equal(choosePlatform([attestation, arm64], "amd64")?.descriptor, arm64);
    assert.equal(choosePlatform([attestation], "amd64"), undefined);
    assert.equal(choosePlatform([], "amd64"), undefined);
  });
});

describe("ociArchitecture", () => {
  it("spells Node's architectures as OCI does", () => {
    assert.equal(ociArchitecture("x64"), "amd64");
    assert.equal(ociArchitecture("arm64"), "arm64");
    assert.equal(ociArchitecture("ia32"), "386");
    assert.equal(ociArchitecture("s390x"), "s390x");
  });
});
