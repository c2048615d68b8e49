import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { NO_CREDENTIALS } from "../../../src/delivery/credentials.ts";
import { digestOfPath } from "../../../src/delivery/digest.ts";
import { DeliveryError } from "../../../src/delivery/errors.ts";
import { fetchModel, type FetchRequest } from "../../../src/delivery/fetch.ts";
import { MemoryStore, type MemoryFile } from "./memory-store.ts";

const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");
const bytes = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));

describe("fetchModel", () => {
  let volume: string;
  let logs: string[];
  beforeEach(async () => {
    volume = await mkdtemp(join(tmpdir(), "mdo-fetch-test-"));
    logs = [];
  });
  afterEach(() => rm(volume, { recursive: true, force: true }));

  const fetch = (store: MemoryStore, extra: Partial<FetchRequest> = {}): ReturnType<typeof fetchModel> =>
    fetchModel({
      uri: "s3://bucket/model", dest: join(volume, "model"), credentials: NO_CREDENTIALS, signal: new AbortController().signal,
      log: (m) => logs.push(m), store, retry: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 }, sleep: () => Promise.resolve(), ...extra,
    });

  it("downloads a tree in parallel to the right paths; its digest is the tree digest of the result", async () => {
    const files: MemoryFile[] = Array.from({ length: 20 }, (_, i) => ({ path: i % 2 === 0 ? `shard-${i}.bin` : `nested/dir/shard-${i}.bin`, content: bytes(10_000 + i, i) }));
    const result = await fetch(new MemoryStore("tree", files), { concurrency: 4 });
    for (const f of files) assert.deepEqual(await readFile(join(volume, "model", f.path)), f.content);
    assert.equal(result.digest, await digestOfPath(join(volume, "model")));
    assert.equal(result.files, 20);
    assert.deepEqual(await readdir(volume), ["model"], "no staging directory is left");
    assert.match(logs.at(-1) ?? "", /^Fetched s3:\/\/bucket\/model into .*: 20 files, .* digest sha256:[0-9a-f]{64}$/);
  });

  it("a single file's digest is the sha256 of its bytes", async () => {
    const content = bytes(5000, 7);
    const result = await fetch(new MemoryStore("file", [{ path: "model.joblib", content }]), { digest: `sha256:${sha(content)}` });
    assert.equal(result.digest, `sha256:${sha(content)}`);
    assert.deepEqual(await readFile(join(volume, "model/model.joblib")), content);
  });

  it("resumes a transient failure where the bytes on disk end", async () => {
    const content = bytes(200_000, 3);
    const store = new MemoryStore("file", [{ path: "model.bin", content, failures: 2, failAfter: 70_000 }]);
    const result = await fetch(store);
    assert.equal(result.digest, `sha256:${sha(content)}`);
    assert.deepEqual(await readFile(join(volume, "model/model.bin")), content);
    assert.equal(store.opens.length, 3);
    assert.equal(store.opens[0]?.offset, 0);
    assert.ok((store.opens[1]?.offset ?? 0) > 0, `the second attempt resumed at ${store.opens[1]?.offset}`);
    assert.equal(logs.filter((l) => l.startsWith("Retrying model.bin")).length, 2);
  });

  it("gives up after the policy's attempts with the store's reason, leaving nothing", async () => {
    const store = new MemoryStore("file", [{ path: "model.bin", content: bytes(1000, 1), failures: 5, failAfter: 10 }]);
    await assert.rejects(fetch(store), (e) => e instanceof DeliveryError && e.reason === "ModelStorageUnreachable");
    assert.equal(store.opens.length, 3);
    assert.deepEqual(await readdir(volume), []);
  });

  it("stops at once on a failure no retry fixes, and the model directory never appears", async () => {
    const files: MemoryFile[] = [{ path: "a", content: bytes(100, 1), fatal: true, failures: 1 }, ...Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, content: bytes(100, i) }))];
    const store = new MemoryStore("tree", files);
    await assert.rejects(fetch(store, { concurrency: 1 }), (e) => e instanceof DeliveryError && e.reason === "ModelAccessDenied");
    assert.equal(store.opens.length, 1, "nothing else was opened after the failure");
    assert.deepEqual(await readdir(volume), []);
  });

  it("refuses a digest mismatch, naming both digests, and keeps a previous model untouched", async () => {
    await mkdir(join(volume, "model"));
    await writeFile(join(volume, "model/previous"), "kept");
    const wrong = `sha256:${"0".repeat(64)}`;
    await assert.rejects(fetch(new MemoryStore("file", [{ path: "m", content: Buffer.from("x") }]), { digest: wrong }), (e) =>
      e instanceof DeliveryError && e.reason === "ModelDigestMismatch" && e.message.includes(wrong) && e.message.includes(sha("x")));
    assert.deepEqual(await readdir(volume), ["model"]);
    assert.equal(await readFile(join(volume, "model/previous"), "utf8"), "kept");
  });

  it("checks the store's own size and digest of each file", async () => {
    await assert.rejects(fetch(new MemoryStore("file", [{ path: "m", content: Buffer.from("short"), size: 10 }])), (e) =>
      e instanceof DeliveryError && e.reason === "ModelStorageUnreachable" && /sent 5 bytes of m, which has 10/.test(e.message));
    await assert.rejects(fetch(new MemoryStore("tree", [{ path: "m", content: Buffer.from("x"), digest: `sha256:${"1".repeat(64)}` }])), (e) =>
      e instanceof DeliveryError && e.reason === "ModelDigestMismatch");
  });

  it("refuses paths that would leave the model directory", async () => {
    for (const path of ["../escape", "/abs", "a/./b", "a//b"]) {
      await assert.rejects(fetch(new MemoryStore("tree", [{ path, content: Buffer.from("x") }])), (e) => e instanceof DeliveryError && e.reason === "InvalidModelURI", path);
    }
  });

  it("extracts a .tar.gz; the digest pins the archive's bytes", async () => {
    const src = join(volume, "src");
    await mkdir(join(src, "iris"), { recursive: true });
    await writeFile(join(src, "iris/model.joblib"), "joblib bytes");
    await writeFile(join(src, "iris/extra.json"), "{}");
    execFileSync("tar", ["-czf", join(volume, "m.tar.gz"), "-C", src, "iris"]);
    const archive = await readFile(join(volume, "m.tar.gz"));
    await rm(src, { recursive: true });
    await rm(join(volume, "m.tar.gz"));
    const result = await fetch(new MemoryStore("file", [{ path: "m.tar.gz", content: archive, unpack: "tar+gzip" }]));
    assert.equal(result.digest, `sha256:${sha(archive)}`);
    assert.equal(await readFile(join(volume, "model/iris/model.joblib"), "utf8"), "joblib bytes");
    assert.deepEqual((await readdir(volume)).sort(), ["model"]);
  });

  it("extracts a .zip, and refuses an archive with a link or garbage as ModelArchiveCorrupt", async () => {
    const zip = execFileSync("python3", ["-c", "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w')\nz.writestr('d/model.bst','bst')\nz.close()\nsys.stdout.buffer.write(b.getvalue())"]);
    await fetch(new MemoryStore("file", [{ path: "m.zip", content: zip, unpack: "zip" }]));
    assert.equal(await readFile(join(volume, "model/d/model.bst"), "utf8"), "bst");

    const src = join(volume, "linked");
    await mkdir(src);
    await symlink("/etc/passwd", join(src, "passwd"));
    const withLink = execFileSync("tar", ["-cz", "-C", src, "passwd"]);
    await rm(src, { recursive: true });
    await assert.rejects(fetch(new MemoryStore("file", [{ path: "l.tgz", content: withLink, unpack: "tar+gzip" }])), (e) => e instanceof DeliveryError && e.reason === "ModelArchiveCorrupt");
    await assert.rejects(fetch(new MemoryStore("file", [{ path: "g.tgz", content: Buffer.from("not gzip"), unpack: "tar+gzip" }])), (e) => e instanceof DeliveryError && e.reason === "ModelArchiveCorrupt");
    await assert.rejects(fetch(new MemoryStore("file", [{ path: "g.zip", content: Buffer.from("not zip"), unpack: "zip" }])), (e) => e instanceof DeliveryError && e.reason === "ModelArchiveCorrupt");
  });

  it("lays the model out for the runtime after verifying it", async () => {
    await fetch(new MemoryStore("file", [{ path: "model.joblib", content: Buffer.from("j") }]), { layout: { layout: "mlserver", format: "sklearn", modelName: "iris", modelVersion: "v1" } });
    const settings = JSON.parse(await readFile(join(volume, "model/model-settings.json"), "utf8")) as { name: string; implementation: string };
    assert.equal(settings.name, "iris");
    assert.equal(settings.implementation, "mlserver_sklearn.SKLearnModel");
    assert.ok(logs.some((l) => l.startsWith("Laid out for mlserver: wrote model-settings.json")), logs.join("\n"));
  });

  it("removes staging directories an interrupted run left behind", async () => {
    await mkdir(join(volume, ".mdo-fetch-old/partial"), { recursive: true });
    await fetch(new MemoryStore("file", [{ path: "m", content: Buffer.from("x") }]));
    assert.deepEqual(await readdir(volume), ["model"]);
  });
});
