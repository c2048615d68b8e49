// `mdo fetch`, `mdo verify` and `mdo digest` as processes, the way the init container runs them
// (arguments, a Secret directory, a termination-log file), against real stores on 127.0.0.1: moto's
// S3 with signing enforced, fake-gcs-server, and an HTTPS server with a private CA. No Kubernetes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { credentialsOf } from "../../../src/delivery/credentials.ts";
import { digestOfPath } from "../../../src/delivery/digest.ts";
import { HttpsStore } from "../../../src/delivery/stores/https.ts";
import { S3Store } from "../../../src/delivery/stores/s3.ts";
import { startGcs, startHttpsServer, startS3, type RunningGcs, type RunningHttpsServer, type RunningS3 } from "../../support/storage/index.ts";

const run = promisify(execFile);
const MDO = join(import.meta.dirname, "../../../src/cmd/mdo.ts");

interface Outcome { code: number; stdout: string; stderr: string; termination: string }

describe("mdo fetch / verify / digest against real stores", () => {
  let work: string;
  let s3: RunningS3;
  let gcs: RunningGcs;
  let https: RunningHttpsServer;
  let tree: string;
  const archive = randomBytes(0); // replaced in before

  /** Writes a Secret directory (one file per key), as the kubelet mounts one. */
  async function secretDir(name: string, values: Record<string, string>): Promise<string> {
    const dir = join(work, "secrets", name);
    await mkdir(dir, { recursive: true });
    for (const [key, value] of Object.entries(values)) await writeFile(join(dir, key), value);
    return dir;
  }

  async function mdo(args: string[], extraEnv: Record<string, string> = {}): Promise<Outcome> {
    const termination = join(work, `termination-${randomBytes(4).toString("hex")}`);
    await writeFile(termination, "");
    // The child gets no AWS or Google environment: everything comes from the arguments.
    const env = { PATH: process.env.PATH ?? "", HOME: work, ...extraEnv };
    const result = await run(process.execPath, [MDO, ...args, `--termination-log=${termination}`], { env, timeout: 120_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
    );
    return { ...result, termination: await readFile(termination, "utf8") };
  }

  let s3Secret: string;
  let wrongSecret: string;
  let gcsSecret: string;
  let httpsSecret: string;
  let tokenSecret: string;
  const TOKEN = "Bearer mdo-test-token-5d1f";

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "mdo-fetch-command-"));
    await mkdir(join(work, "served"));
    [s3, gcs, https] = await Promise.all([startS3(), startGcs(), startHttpsServer({ root: join(work, "served"), authorization: TOKEN })]);
    // A model directory of 60 files, nested, of mixed sizes.
    tree = join(work, "tree");
    for (let i = 0; i < 60; i++) {
      const path = join(tree, i % 3 === 0 ? `part-${i}.bin` : `shards/${i % 2}/part-${i}.bin`);
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, randomBytes(1000 + i * 997));
    }
    await s3.createBucket("models");
    await gcs.createBucket("models");
    for (const file of await readdir(tree, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const relative = join(file.parentPath, file.name).slice(tree.length + 1);
      const body = await readFile(join(tree, relative));
      await s3.putObject("models", `fraud/v7/${relative}`, body);
      await gcs.putObject("models", `fraud/v7/${relative}`, body);
    }
    await writeFile(join(work, "model.joblib"), randomBytes(4096));
    await run("tar", ["-czf", join(work, "served", "model.tar.gz"), "-C", work, "model.joblib"]);
    await mkdir(join(work, "served", "private"));
    await writeFile(join(work, "served", "private", "model.joblib"), randomBytes(2048));
    archive.set([]);
    s3Secret = await secretDir("s3-creds", { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_ENDPOINT_URL: s3.endpoint });
    wrongSecret = await secretDir("s3-wrong", { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: "wrong-secret-key-123", AWS_ENDPOINT_URL: s3.endpoint });
    gcsSecret = await secretDir("gcs", { STORAGE_EMULATOR_HOST: gcs.endpoint });
    httpsSecret = await secretDir("https", { "ca.crt": https.caCert });
    tokenSecret = await secretDir("https-token", { "ca.crt": https.caCert, authorization: TOKEN });
  });

  after(async () => {
    await Promise.all([s3?.stop(), gcs?.stop(), https?.stop()]);
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it("fetches an S3 prefix in full; the digest is the tree digest, and mdo digest prints the same", async () => {
    const expected = await digestOfPath(tree);
    const dest = join(work, "vol-s3", "model");
    await mkdir(join(dest, ".."));
    const out = await mdo(["fetch", "--uri=s3://models/fraud/v7", `--dest=${dest}`, `--digest=${expected}`, `--credentials-dir=${s3Secret}`, "--secret-name=s3-creds"]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(await digestOfPath(dest), expected);
    assert.match(out.stdout, /Fetched s3:\/\/models\/fraud\/v7 into .*: 60 files, .* digest sha256:/);
    assert.equal(out.termination, "", "no termination message on success");
    const printed = await mdo(["digest", "s3://models/fraud/v7", `--credentials-dir=${s3Secret}`]);
    assert.equal(printed.stdout.trim(), expected);
    assert.equal((await mdo(["digest", tree])).stdout.trim(), expected);
  });

  it("a wrong key is ModelAccessDenied naming the Secret, with no credential anywhere", async () => {
    const out = await mdo(["fetch", "--uri=s3://models/fraud/v7", `--dest=${join(work, "model-denied")}`, `--credentials-dir=${wrongSecret}`, "--secret-name=s3-wrong"]);
    assert.equal(out.code, 1);
    assert.match(out.termination, /^ModelAccessDenied: access to s3:\/\/models\/fraud\/v7 was denied with Secret s3-wrong \(HTTP 403/);
    for (const text of [out.stdout, out.stderr, out.termination]) {
      assert.ok(!text.includes("wrong-secret-key-123") && !text.includes(s3.secretAccessKey), "no secret key in the output");
    }
  });

  it("a missing prefix is ModelNotFound; a digest mismatch names both digests; nothing is left behind", async () => {
    const volume = join(work, "vol-fail");
    await mkdir(volume);
    const missing = await mdo(["fetch", "--uri=s3://models/nothing/v1", `--dest=${join(volume, "model")}`, `--credentials-dir=${s3Secret}`, "--secret-name=s3-creds"]);
    assert.match(missing.termination, /^ModelNotFound: s3:\/\/models\/nothing\/v1 names no object/);
    const wrong = `sha256:${"e".repeat(64)}`;
    const mismatch = await mdo(["fetch", "--uri=gs://models/fraud/v7", `--dest=${join(volume, "model")}`, `--digest=${wrong}`, `--credentials-dir=${gcsSecret}`, "--secret-name=gcs"]);
    assert.match(mismatch.termination, new RegExp(`^ModelDigestMismatch: gs://models/fraud/v7 has digest ${await digestOfPath(tree)}, but spec.model.digest is ${wrong}$`));
    assert.deepEqual(await readdir(volume), []);
  });

  it("fetches from GCS (a prefix and a single object)", async () => {
    const dest = join(work, "vol-gcs", "model");
    await mkdir(join(dest, ".."));
    assert.equal((await mdo(["fetch", "--uri=gs://models/fraud/v7", `--dest=${dest}`, `--credentials-dir=${gcsSecret}`, "--secret-name=gcs"])).code, 0);
    assert.equal(await digestOfPath(dest), await digestOfPath(tree));
    const one = await mdo(["digest", "gs://models/fraud/v7/part-0.bin", `--credentials-dir=${gcsSecret}`]);
    assert.equal(one.stdout.trim(), await digestOfPath(join(tree, "part-0.bin")));
  });

  it("extracts an HTTPS .tar.gz with the Secret's CA and lays it out for MLServer; without the CA it is a TLS failure", async () => {
    const dest = join(work, "vol-https", "model");
    await mkdir(join(dest, ".."));
    const archiveDigest = await digestOfPath(join(work, "served", "model.tar.gz"));
    const ok = await mdo(["fetch", `--uri=${https.url}/model.tar.gz`, `--dest=${dest}`, `--digest=${archiveDigest}`, "--layout=mlserver", "--format=sklearn", "--model-name=fraud", "--model-version=v7", `--credentials-dir=${httpsSecret}`, "--secret-name=https"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual((await readdir(dest)).sort(), ["model-settings.json", "model.joblib"]);
    const settings = JSON.parse(await readFile(join(dest, "model-settings.json"), "utf8")) as { name: string; parameters: { version?: string } };
    assert.deepEqual([settings.name, settings.parameters.version], ["fraud", "v7"]);
    const noCa = await mdo(["fetch", `--uri=${https.url}/model.tar.gz`, `--dest=${join(work, "no-ca")}`]);
    assert.match(noCa.termination, /^ModelStorageUnreachable: TLS failed while downloading .*put the store's CA certificate in the storage Secret under ca\.crt$/);
    const missing = await mdo(["fetch", `--uri=${https.url}/nope.tar.gz`, `--dest=${join(work, "nope")}`, `--credentials-dir=${httpsSecret}`, "--secret-name=https"]);
    assert.match(missing.termination, /^ModelNotFound: https:\/\/127\.0\.0\.1:\d+\/nope\.tar\.gz does not exist \(HTTP 404\)$/);
  });

  it("sends the Secret's authorization key to an HTTPS store that wants a token; without it the fetch is ModelAccessDenied naming the Secret, and the token is in no output", async () => {
    const dest = join(work, "vol-token", "model");
    await mkdir(join(dest, ".."));
    const ok = await mdo(["fetch", `--uri=${https.url}/private/model.joblib`, `--dest=${dest}`, `--credentials-dir=${tokenSecret}`, "--secret-name=https-token"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(await readFile(join(dest, "model.joblib")), await readFile(join(work, "served", "private", "model.joblib")));
    const denied = await mdo(["fetch", `--uri=${https.url}/private/model.joblib`, `--dest=${join(work, "no-token")}`, `--credentials-dir=${httpsSecret}`, "--secret-name=https"]);
    assert.match(denied.termination, /^ModelAccessDenied: access to https:\/\/127\.0\.0\.1:\d+\/private\/model\.joblib was denied .*https.*\(HTTP 401\)$/);
    for (const text of [ok.stdout, ok.stderr, ok.termination, denied.stdout, denied.stderr, denied.termination]) assert.ok(!text.includes("mdo-test-token"), "the token never appears");
    const asked = https.requests.filter((r) => r.path === "/private/model.joblib");
    assert.deepEqual(asked.map((r) => [r.status, r.authorized]), [[200, true], [401, false]]);
  });

  it("without keys in the Secret, takes S3 credentials from a web identity (IRSA: AWS_ROLE_ARN and a token file, exchanged at STS)", async () => {
    // moto checks no signatures in this mode, so the proof is the pair: with the web identity the
    // fetch succeeds; without it the SDK's chain finds no credentials and mdo says how to give some.
    const sts = await startS3({ signing: "off" });
    try {
      await sts.createBucket("irsa");
      const body = randomBytes(3000);
      await sts.putObject("irsa", "model/model.bin", body);
      const token = join(work, "irsa-token");
      await writeFile(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bWw6ZmV0Y2hlciJ9.c2ln");
      const secret = await secretDir("irsa", { AWS_ENDPOINT_URL: sts.endpoint });
      const common = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: sts.endpoint, AWS_EC2_METADATA_DISABLED: "true" };
      const dest = join(work, "vol-irsa", "model");
      await mkdir(join(dest, ".."));
      const args = ["fetch", "--uri=s3://irsa/model", `--dest=${dest}`, `--credentials-dir=${secret}`, "--secret-name=irsa"];
      const ok = await mdo(args, { ...common, AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/model-fetcher", AWS_WEB_IDENTITY_TOKEN_FILE: token, AWS_ROLE_SESSION_NAME: "mdo-fetch" });
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(await readFile(join(dest, "model.bin")), body);
      const none = await mdo([...args.slice(0, 2), `--dest=${join(work, "no-identity")}`, ...args.slice(3)], common);
      assert.match(none.termination, /^ModelAccessDenied: no AWS credentials for s3:\/\/irsa\/model with Secret irsa: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the Secret or give the pod a web identity \(IRSA\)$/);
    } finally {
      await sts.stop();
    }
  });

  it("a store that refuses connections is ModelStorageUnreachable after the retries", async () => {
    const started = Date.now();
    const out = await mdo(["fetch", "--uri=https://127.0.0.1:9/model.tar.gz", `--dest=${join(work, "unreachable")}`]);
    assert.match(out.termination, /^ModelStorageUnreachable: the store is unreachable while downloading https:\/\/127\.0\.0\.1:9\/model\.tar\.gz: connect ECONNREFUSED 127\.0\.0\.1:9$/);
    assert.equal(out.stdout.split("\n").filter((l) => l.includes("Retrying model.tar.gz")).length, 5, "six attempts in all");
    console.log(`[fetch-command] unreachable store given up after ${Date.now() - started} ms`);
  });

  it("a full model volume is ModelDiskFull and leaves nothing behind", async () => {
    assert.equal(process.getuid?.(), 0, "mounting a small tmpfs as the model volume needs root (the real node's tests need it too)");
    const volume = join(work, "tiny-volume");
    await mkdir(volume);
    await run("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", volume]);
    try {
      const out = await mdo(["fetch", "--uri=s3://models/fraud/v7", `--dest=${join(volume, "model")}`, `--credentials-dir=${s3Secret}`, "--secret-name=s3-creds"]);
      assert.match(out.termination, /^ModelDiskFull: the model volume is full while downloading .* \(ENOSPC\)/);
      assert.deepEqual(await readdir(volume), []);
    } finally {
      await run("umount", [volume]);
    }
  });

  it("mdo verify checks a directory in place", async () => {
    const expected = await digestOfPath(tree);
    assert.equal((await mdo(["verify", `--path=${tree}`, `--digest=${expected}`])).code, 0);
    const bad = await mdo(["verify", `--path=${tree}`, `--digest=sha256:${"a".repeat(64)}`]);
    assert.equal(bad.code, 1);
    assert.match(bad.termination, /^ModelDigestMismatch: /);
    assert.equal((await mdo(["verify", `--path=${tree}`, "--digest=md5:abc"])).code, 2, "bad usage");
  });

  it("the S3 and HTTPS stores resume from an offset with a Range request", async () => {
    const creds = credentialsOf("s3-creds", new Map([["AWS_ACCESS_KEY_ID", s3.accessKeyId], ["AWS_SECRET_ACCESS_KEY", s3.secretAccessKey], ["AWS_ENDPOINT_URL", s3.endpoint]]));
    const listing = await new S3Store({ bucket: "models", key: "fraud/v7/part-3.bin" }, creds).list(AbortSignal.timeout(10_000));
    const whole = await readFile(join(tree, "part-3.bin"));
    const [object] = listing.files;
    assert.equal(listing.shape, "file");
    assert.deepEqual(await buffer(await object!.open(AbortSignal.timeout(10_000), 1000)), whole.subarray(1000));

    const served = await readFile(join(work, "served", "model.tar.gz"));
    const httpsStore = new HttpsStore(new URL(`${https.url}/model.tar.gz`), credentialsOf("https", new Map([["ca.crt", https.caCert]])));
    const [remote] = (await httpsStore.list()).files;
    assert.deepEqual(await buffer(await remote!.open(AbortSignal.timeout(10_000), 100)), served.subarray(100));
    assert.equal(https.requests.at(-1)?.range, "bytes=100-");
    assert.equal(https.requests.at(-1)?.status, 206);
  });
});
