// OciStore against a real registry (distribution, TLS from a test CA, htpasswd basic auth) on
// 127.0.0.1, with artifacts pushed by the real `oras` CLI. No Kubernetes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { pipeline } from "node:stream/promises";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import * as tar from "tar";
import { DeliveryError } from "../../../src/delivery/errors.ts";
import type { RemoteFile, StorageCredentials } from "../../../src/delivery/store.ts";
import { OciStore, type OciListing } from "../../../src/delivery/stores/oci/store.ts";
import { startRegistry, type RunningRegistry } from "../../support/storage/registry.ts";
import { storageTools } from "../../support/storage/tools.ts";

const run = promisify(execFile);

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const signal = (): AbortSignal => AbortSignal.timeout(30_000);

/** The storage Secret "registry-creds" with `values`. */
function secret(values: Record<string, string>): StorageCredentials {
  const map = new Map(Object.entries(values));
  return { secretName: "registry-creds", get: (key) => map.get(key) };
}

/** Asserts `promise` rejects with a DeliveryError of `reason` whose message matches `message`; returns it. */
async function rejectsWith(promise: Promise<unknown>, reason: string, message: RegExp): Promise<DeliveryError> {
  let caught: unknown;
  await promise.then(() => assert.fail(`expected ${reason}`), (error: unknown) => { caught = error; });
  assert.ok(caught instanceof DeliveryError, `not a DeliveryError: ${String(caught)}`);
  assert.equal(caught.reason, reason, caught.message);
  assert.match(caught.message, message);
  return caught;
}

const fileNamed = (listing: OciListing, path: string): RemoteFile => {
  const file = listing.files.find((f) => f.path === path);
  assert.ok(file, `no ${path} in ${listing.files.map((f) => f.path).join(", ")}`);
  return file;
};

describe("OciStore against a real registry", () => {
  let registry: RunningRegistry;
  let work: string;
  let digest: string;
  const model = randomBytes(300_000);
  const meta = Buffer.from(JSON.stringify({ name: "fraud", version: 7 }));
  const stores: OciStore[] = [];
  const store = (reference: string, credentials: StorageCredentials, architecture?: string): OciStore => {
    const s = new OciStore(reference, credentials, { userAgent: "mdo-test", ...(architecture === undefined ? {} : { architecture }) });
    stores.push(s);
    return s;
  };
  let creds: StorageCredentials;

  before(async () => {
    registry = await startRegistry();
    work = await mkdtemp(join(tmpdir(), "mdo-oci-store-"));
    await writeFile(join(work, "model.joblib"), model);
    await writeFile(join(work, "meta.json"), meta);
    await mkdir(join(work, "tokenizer", "sub"), { recursive: true });
    await writeFile(join(work, "tokenizer", "vocab.txt"), "a\nb\n");
    await writeFile(join(work, "tokenizer", "sub", "merges.txt"), "ab\n");
    ({ digest } = await registry.pushArtifact("models/fraud:v1", [
      { path: join(work, "model.joblib") },
      { path: join(work, "meta.json"), mediaType: "application/json" },
    ], { artifactType: "application/vnd.mdo.model.v1" }));
    // pushArtifact takes files; a directory and an index go up with oras itself.
    const { oras } = await storageTools();
    const orasIn = (args: string[]): Promise<unknown> =>
      run(oras, [...args, "--registry-config", registry.dockerConfigFile, "--ca-file", registry.caFile], { cwd: work });
    await orasIn(["push", "--no-tty", `${registry.address}/models/tokenized:v1`, "tokenizer"]);
    for (const arch of ["arm64", "amd64"]) {
      await writeFile(join(work, `${arch}.bin`), arch);
      await orasIn(["push", "--no-tty", "--artifact-platform", `linux/${arch}`, `${registry.address}/models/multi:${arch}`, `${arch}.bin`]);
    }
    await orasIn(["manifest", "index", "create", `${registry.address}/models/multi:v1`, "arm64", "amd64"]);
    creds = secret({ ".dockerconfigjson": registry.dockerConfigJson, "ca.crt": registry.caCert });
  });

  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await registry?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("lists an oras artifact by tag: one file per layer, with size and digest, not unpacked", async () => {
    const listing = await store(`${registry.address}/models/fraud:v1`, creds).list(signal());
    assert.equal(listing.shape, "tree");
    assert.equal(listing.manifestDigest, digest);
    assert.match(listing.source, new RegExp(`models/fraud:v1 → ${digest}`));
    assert.deepEqual(
      listing.files.map((f) => ({ path: f.path, size: f.size, digest: f.digest, unpack: f.unpack })).sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: "meta.json", size: meta.length, digest: sha256(meta), unpack: "none" },
        { path: "model.joblib", size: model.length, digest: sha256(model), unpack: "none" },
      ],
    );
  });

  it("lists by digest and opens each blob with the pushed bytes", async () => {
    const listing = await store(`${registry.address}/models/fraud@${digest}`, creds).list(signal());
    assert.equal(listing.manifestDigest, digest);
    assert.deepEqual(await buffer(await fileNamed(listing, "model.joblib").open(signal())), model);
    assert.deepEqual(await buffer(await fileNamed(listing, "meta.json").open(signal())), meta);
  });

  it("opens from an offset with a Range request, and at the end with nothing", async () => {
    const file = fileNamed(await store(`${registry.address}/models/fraud:v1@${digest}`, creds).list(signal()), "model.joblib");
    assert.deepEqual(await buffer(await file.open(signal(), 123_457)), model.subarray(123_457));
    assert.equal((await buffer(await file.open(signal(), model.length))).length, 0);
    await rejectsWith(file.open(signal(), model.length + 1), "ModelFetchFailed", /from byte 300001: it has 300000 bytes/);
  });

  it("lists an oras directory as a tar+gzip layer whose entries are under the directory's name", async () => {
    const listing = await store(`${registry.address}/models/tokenized:v1`, creds).list(signal());
    assert.deepEqual(listing.files.map((f) => [f.path, f.unpack]), [["tokenizer", "tar+gzip"]]);
    const [layer] = listing.files;
    assert.ok(layer);
    const names: string[] = [];
    await pipeline(await layer.open(signal()), tar.t({ onReadEntry: (entry) => names.push(entry.path) }));
    assert.deepEqual(names.map((n) => n.replace(/\/$/, "")).sort(), ["tokenizer", "tokenizer/sub", "tokenizer/sub/merges.txt", "tokenizer/vocab.txt"]);
  });

  it("chooses from an index the entry for linux and the architecture, else the first, and says which", async () => {
    const arm = await store(`${registry.address}/models/multi:v1`, creds, "arm64").list(signal());
    assert.deepEqual(arm.files.map((f) => f.path), ["arm64.bin"]);
    assert.match(arm.source, /models\/multi:v1 → sha256:[0-9a-f]{64} \(linux\/arm64 of 2 entries of index sha256:[0-9a-f]{64}\)$/);
    const other = await store(`${registry.address}/models/multi:v1`, creds, "s390x").list(signal());
    assert.deepEqual(other.files.map((f) => f.path), ["arm64.bin"]);
    assert.match(other.source, /\(linux\/arm64, the first of 2 entries \(none is linux\/s390x\) of index/);
  });

  it("is denied with a wrong password, naming the Secret and not the password", async () => {
    const auths = JSON.parse(registry.dockerConfigJson) as { auths: Record<string, unknown> };
    const wrong = { auths: Object.fromEntries(Object.keys(auths.auths).map((k) => [k, { username: registry.username, password: "not-the-password" }])) };
    const error = await rejectsWith(
      store(`${registry.address}/models/fraud:v1`, secret({ ".dockerconfigjson": JSON.stringify(wrong), "ca.crt": registry.caCert })).list(signal()),
      "ModelAccessDenied", /was denied with Secret registry-creds/,
    );
    assert.doesNotMatch(error.message, /not-the-password/);
    assert.doesNotMatch(error.message, new RegExp(registry.password));
  });

  it("is denied anonymously without credentials", async () => {
    await rejectsWith(store(`${registry.address}/models/fraud:v1`, secret({ "ca.crt": registry.caCert })).list(signal()),
      "ModelAccessDenied", /denied anonymously \(Secret registry-creds has no \.dockerconfigjson key\)/);
    // Without any Secret the CA must come from elsewhere: trust it process-wide for this one check.
    const defaults = getCACertificates("default");
    setDefaultCACertificates([...defaults, registry.caCert]);
    try {
      await rejectsWith(store(`${registry.address}/models/fraud:v1`, { get: () => undefined }).list(signal()),
        "ModelAccessDenied", /denied anonymously \(no spec\.model\.storageSecretRef\)/);
    } finally {
      setDefaultCACertificates(defaults);
    }
  });

  it("reports a missing tag, repository or digest as NotFound naming the reference", async () => {
    await rejectsWith(store(`${registry.address}/models/fraud:v2`, creds).list(signal()), "ModelNotFound", /manifest of .*models\/fraud:v2 does not exist \(MANIFEST_UNKNOWN/);
    await rejectsWith(store(`${registry.address}/models/nothing:v1`, creds).list(signal()), "ModelNotFound", /manifest of .*models\/nothing:v1 does not exist/);
    const other = `sha256:${"0".repeat(64)}`;
    await rejectsWith(store(`${registry.address}/models/fraud@${other}`, creds).list(signal()), "ModelNotFound", new RegExp(`models/fraud@${other} does not exist`));
  });

  it("fails TLS without the CA, telling to put it under ca.crt, and does not retry", async () => {
    const error = await rejectsWith(store(`${registry.address}/models/fraud:v1`, secret({ ".dockerconfigjson": registry.dockerConfigJson })).list(signal()),
      "ModelStorageUnreachable", /TLS failed while fetching the manifest of .*ca\.crt/);
    assert.equal(error.retryable, false);
  });

  it("reports a closed port as Unreachable and retryable", async () => {
    const error = await rejectsWith(store("127.0.0.1:9/models/fraud:v1", creds).list(signal()), "ModelStorageUnreachable", /unreachable while fetching the manifest of 127\.0\.0\.1:9\/models\/fraud:v1/);
    assert.equal(error.retryable, true);
  });

  it("stops when aborted", async () => {
    const file = fileNamed(await store(`${registry.address}/models/fraud:v1`, creds).list(signal()), "model.joblib");
    const controller = new AbortController();
    const stream = await file.open(controller.signal);
    controller.abort();
    await assert.rejects(buffer(stream), (error: Error) => error.name === "AbortError");
  });
});
