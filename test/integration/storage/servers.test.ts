// The storage servers of the model-delivery tests are real (test/support/storage/): each one
// takes an object in and gives it back to a real client (AWS SDK and CLI, @google-cloud/storage,
// oras, undici), and refuses what it must: S3 a wrong key (403), the registry a request without
// credentials (401), the HTTPS server a client that lacks its CA. Needs no cluster.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Storage } from "@google-cloud/storage";
import { Agent, fetch } from "undici";
import { isAlive } from "../../../src/sandbox/processes.ts";
import {
  startGcs, startHttpsServer, startRegistry, startS3, storageTools, strayStorageProcesses,
  type RunningGcs, type RunningHttpsServer, type RunningRegistry, type RunningS3,
} from "../../support/storage/index.ts";

const run = promisify(execFile);
const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

let work: string;
let s3: RunningS3 | undefined;
let gcs: RunningGcs | undefined;
let registry: RunningRegistry | undefined;
let https: RunningHttpsServer | undefined;
const small = randomBytes(64 * 1024);
const large = randomBytes(12 * 1024 * 1024); // above the AWS CLI's 8 MB multipart threshold

before(async () => {
  work = await mkdtemp(join(tmpdir(), "mdo-storage-test-"));
  await writeFile(join(work, "model.bin"), large);
  await writeFile(join(work, "config.json"), '{"name":"iris"}\n');
  await storageTools(); // builds on a cold machine; then the servers start in parallel
  const t = Date.now();
  [s3, gcs, registry, https] = await Promise.all([startS3(), startGcs(), startRegistry(), startHttpsServer({ root: work })]);
  console.log(`four servers up in ${Date.now() - t} ms`);
});

after(async () => {
  const pids = [s3?.pid, gcs?.pid, registry?.pid].filter((p): p is number => p !== undefined);
  const dirs = [s3?.dir, gcs?.dir, registry?.dir, https?.dir].filter((d): d is string => d !== undefined);
  await Promise.all([s3?.stop(), gcs?.stop(), registry?.stop(), https?.stop()]);
  await rm(work, { recursive: true, force: true });
  for (const pid of pids) assert.equal(isAlive(pid), false, `server pid ${pid} survived stop()`);
  // Only this file's servers: other test runs (the real-node delivery test) may have theirs up.
  assert.deepEqual(strayStorageProcesses(dirs), [], "processes of this test's server directories are still running");
  for (const dir of dirs) assert.equal(existsSync(dir), false, `${dir} survived stop()`);
});

describe("S3 (moto)", () => {
  const client = (secretAccessKey: string, accessKeyId = s3!.accessKeyId): S3Client => new S3Client({
    endpoint: s3!.endpoint, region: s3!.region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey },
  });

  test("an object put with the SDK and a file put with the AWS CLI (multipart) come back", async () => {
    await s3!.createBucket("models");
    await s3!.putObject("models", "iris/small.bin", small);
    await s3!.putObject("models", "iris/model.bin", join(work, "model.bin"));
    const sdk = client(s3!.secretAccessKey);
    const got = await sdk.send(new GetObjectCommand({ Bucket: "models", Key: "iris/small.bin" }));
    assert.equal(sha256(Buffer.from(await got.Body!.transformToByteArray())), sha256(small));
    const head = await sdk.send(new HeadObjectCommand({ Bucket: "models", Key: "iris/model.bin" }));
    assert.equal(head.ContentLength, large.length);
    assert.match(head.ETag ?? "", /-2"$/, "a two-part multipart upload");
    const tools = await storageTools();
    await run(tools.awsCli, ["s3", "cp", "--only-show-errors", "s3://models/iris/model.bin", join(work, "back.bin")], { env: { ...process.env, ...s3!.env } });
    assert.equal(sha256(await readFile(join(work, "back.bin"))), sha256(large));
    sdk.destroy();
  });

  test("a wrong secret key gets 403 SignatureDoesNotMatch, an unknown key 403 InvalidAccessKeyId", async () => {
    for (const [wrong, code] of [[client("wrong-secret"), "SignatureDoesNotMatch"], [client("x", "AKIAUNKNOWNKEY000000"), "InvalidAccessKeyId"]] as const) {
      await assert.rejects(wrong.send(new GetObjectCommand({ Bucket: "models", Key: "iris/small.bin" })), (error: unknown) => {
        assert.ok(error instanceof S3ServiceException);
        assert.equal(error.$metadata.httpStatusCode, 403);
        assert.equal(error.name, code);
        return true;
      });
      wrong.destroy();
    }
  });
});

describe("GCS (fake-gcs-server)", () => {
  test("objects put come back through @google-cloud/storage, anonymously", async () => {
    await gcs!.createBucket("models");
    await gcs!.putObject("models", "iris/small.bin", small);
    await gcs!.putObject("models", "iris/model.bin", join(work, "model.bin"));
    const storage = new Storage({ apiEndpoint: gcs!.endpoint, projectId: "any" });
    const [files] = await storage.bucket("models").getFiles({ prefix: "iris/" });
    assert.deepEqual(files.map((f) => f.name).sort(), ["iris/model.bin", "iris/small.bin"]);
    const [data] = await storage.bucket("models").file("iris/model.bin").download();
    assert.equal(sha256(data), sha256(large));
    const [metadata] = await storage.bucket("models").file("iris/small.bin").getMetadata();
    assert.ok(metadata.mediaLink?.startsWith(`${gcs!.endpoint}/`), `mediaLink ${metadata.mediaLink} names the server`);
  });
});

describe("OCI registry (distribution + oras)", () => {
  test("an artifact pushed with oras comes back with oras pull", async () => {
    const { digest } = await registry!.pushArtifact("models/iris:v1", [
      { path: join(work, "model.bin"), mediaType: "application/octet-stream" }, { path: join(work, "config.json") },
    ], { artifactType: "application/vnd.mdo.model.v1" });
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    const out = join(work, "pulled");
    await run((await storageTools()).oras, ["pull", "--registry-config", registry!.dockerConfigFile, "--ca-file", registry!.caFile,
      "--no-tty", "-o", out, `${registry!.address}/models/iris@${digest}`]);
    assert.equal(sha256(await readFile(join(out, "model.bin"))), sha256(large));
    assert.equal(await readFile(join(out, "config.json"), "utf8"), '{"name":"iris"}\n');

    const agent = new Agent({ connect: { ca: registry!.caCert } });
    const url = `https://${registry!.address}/v2/models/iris/manifests/v1`;
    const accept = "application/vnd.oci.image.manifest.v1+json";
    const anonymous = await fetch(url, { dispatcher: agent, headers: { accept } });
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Basic realm="mdo-test-registry"/);
    const auth = (JSON.parse(registry!.dockerConfigJson) as { auths: Record<string, { auth: string }> }).auths[registry!.address]!.auth;
    const manifest = await fetch(url, { dispatcher: agent, headers: { accept, authorization: `Basic ${auth}` } });
    assert.equal(manifest.status, 200);
    assert.equal(manifest.headers.get("docker-content-digest"), digest);
    assert.equal((await manifest.json() as { artifactType?: string }).artifactType, "application/vnd.mdo.model.v1");
    await agent.close();
  });
});

describe("HTTPS file server", () => {
  test("serves files with Content-Length and byte ranges; refuses clients without its CA", async () => {
    await mkdir(join(work, "nested"), { recursive: true });
    await writeFile(join(work, "nested", "small.bin"), small);
    const agent = new Agent({ connect: { ca: https!.caCert } });
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${https!.url}${path}`, { dispatcher: agent, headers });

    const whole = await get("/model.bin");
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("content-length"), String(large.length));
    assert.equal(sha256(Buffer.from(await whole.arrayBuffer())), sha256(large));

    const part = await get("/nested/small.bin", { range: "bytes=1000-1999" });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 1000-1999/${small.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), small.subarray(1000, 2000));
    const rest = await get("/nested/small.bin", { range: "bytes=65000-" });
    assert.equal(rest.status, 206);
    assert.deepEqual(Buffer.from(await rest.arrayBuffer()), small.subarray(65000));
    const beyond = await get("/nested/small.bin", { range: `bytes=${small.length}-` });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), `bytes */${small.length}`);
    await beyond.arrayBuffer();

    for (const missing of ["/nope.bin", "/nested", "/..%2fetc%2fpasswd"]) assert.equal((await get(missing)).status, 404, missing);
    assert.deepEqual(https!.requests.slice(1, 3).map((r) => [r.range, r.status]), [["bytes=1000-1999", 206], ["bytes=65000-", 206]]);

    await assert.rejects(fetch(`${https!.url}/model.bin`), (error: Error) => {
      assert.match(String((error.cause as { code?: string } | undefined)?.code), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
      return true;
    });
    await agent.close();
  });
});
