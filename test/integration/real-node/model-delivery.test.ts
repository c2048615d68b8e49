// Models delivered by `mdo fetch` in real pods: sklearn, xgboost and lightgbm models trained here
// live in S3 (moto), one each in GCS (fake-gcs-server), an OCI registry (distribution, pushed with
// oras) and behind HTTPS with a private CA (as a .tar.gz); the fetcher init container downloads,
// verifies the pinned digest, lays the files out for MLServer (it writes model-settings.json),
// and the model answers what it predicted in-process. A wrong digest, a wrong key and a missing
// object each end Stalled with the fetcher's reason in lastFailure, never Ready. A pvc:// model
// (shipped with its layout) is checked in place by the verifier: Ready with its digest pinned,
// Stalled with ModelDigestMismatch under a wrong one.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { digestOfPath } from "../../../src/delivery/digest.ts";
import { trainIrisModel, v2InferenceBody, type IrisFlavor, type TrainedModel } from "../../../src/sandbox/iris-model.ts";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { condition, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { startModelStores, type ModelStores } from "../../support/model-stores.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import type { RolloutMdepView } from "../../support/rollout.ts";
import { hostPathClaim, httpOnceWhenRouted, podsOf, type HttpAnswer, realNodePlacement, serviceUrl, trainIris, type TrainedIris } from "../../support/real-node.ts";

const run = promisify(execFile);
let cluster: TestCluster;
let ns: string;
let operator: TestOperator;
let stores: ModelStores;
let work: string;
const models = new Map<string, TrainedModel>();
let claimed: TrainedIris | undefined;
let removeVolume: (() => Promise<void>) | undefined;

/** Trains `flavor` as model `name` into its own directory (no model-settings.json: the fetcher writes it). */
async function train(name: string, flavor: IrisFlavor): Promise<TrainedModel> {
  const model = await trainIrisModel(join(work, "trained", name), name, { flavor, settings: false });
  models.set(name, model);
  return model;
}

const MODEL_FILE: Record<IrisFlavor, string> = { sklearn: "model.joblib", xgboost: "model.json", lightgbm: "model.bst" };

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "real-delivery");
  work = await mkdtemp(join(tmpdir(), "mdo-delivery-"));
  await mkdir(join(work, "https"));
  stores = await startModelStores(join(work, "https"));
  operator = await startTestOperator(cluster, ns);
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: stores.secrets(ns) }));
});

after(async () => {
  await operator?.stop();
  await cluster?.kubectl(["delete", "namespace", ns, "--wait=false"]);
  await stores?.stop();
  await removeVolume?.();
  await claimed?.remove();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** A V2 inference through the Service `name` (fresh Services: see httpOnceWhenRouted). */
async function infer(name: string, rows: number[][]): Promise<HttpAnswer> {
  return httpOnceWhenRouted(`${await serviceUrl(cluster, ns, name)}/v2/models/${name}/infer`, { body: v2InferenceBody(rows) });
}

async function apply(name: string, model: Record<string, unknown>, spec: Record<string, unknown> = {}): Promise<void> {
  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name, namespace: ns },
    spec: { model: { version: "v1", ...model }, replicas: 1, ...(await realNodePlacement(cluster)), ...spec },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(md));
}

test("models in S3, GCS, an OCI registry and behind HTTPS are fetched, verified, laid out and served; bad digests, keys and URIs stall", async () => {
  const trained = Date.now();
  const [skl, xgb, lgb, gcsModel, ociModel, httpsModel] = await Promise.all([
    train("s3-sklearn", "sklearn"), train("s3-xgboost", "xgboost"), train("s3-lightgbm", "lightgbm"),
    train("gcs-sklearn", "sklearn"), train("oci-sklearn", "sklearn"), train("https-sklearn", "sklearn"),
  ]);
  console.log(`[delivery] six models trained in ${Math.round((Date.now() - trained) / 1000)} s`);
  const file = (m: TrainedModel, flavor: IrisFlavor): string => join(m.root, m.path, MODEL_FILE[flavor]);

  await stores.s3.createBucket("models");
  // A prefix holding one file (pinned by its tree digest), a single object (pinned by its sha256),
  // and a prefix without a pin.
  await stores.s3.putObject("models", "iris/sklearn/v1/model.joblib", file(skl, "sklearn"));
  await stores.s3.putObject("models", "iris/xgboost/v1/model.json", file(xgb, "xgboost"));
  await stores.s3.putObject("models", "iris/lightgbm/v1/model.bst", file(lgb, "lightgbm"));
  const prefixDir = join(work, "prefix");
  await mkdir(prefixDir);
  await run("cp", [file(skl, "sklearn"), prefixDir]);
  const treeDigest = await digestOfPath(prefixDir);
  const fileDigest = await digestOfPath(file(xgb, "xgboost"));

  await stores.gcs.createBucket("models");
  await stores.gcs.putObject("models", "iris/v1/model.joblib", file(gcsModel, "sklearn"));
  const pushed = await stores.registry.pushArtifact("models/iris:v1", [{ path: file(ociModel, "sklearn") }]);
  await run("tar", ["-czf", join(work, "https", "iris-v1.tar.gz"), "-C", join(httpsModel.root, httpsModel.path), "model.joblib"]);
  const archiveDigest = await digestOfPath(join(work, "https", "iris-v1.tar.gz"));
  claimed = await trainIris("pvc-verified");
  models.set("pvc-verified", claimed);
  removeVolume = await hostPathClaim(cluster, ns, "models", claimed.hostDir);
  const claimDigest = await digestOfPath(join(claimed.hostDir, claimed.path));

  const created = Date.now();
  await Promise.all([
    apply("s3-sklearn", { uri: "s3://models/iris/sklearn/v1", format: "sklearn", digest: treeDigest, storageSecretRef: { name: "s3-creds" } }),
    apply("s3-xgboost", { uri: "s3://models/iris/xgboost/v1/model.json", format: "xgboost", digest: fileDigest, storageSecretRef: { name: "s3-creds" } }),
    apply("s3-lightgbm", { uri: "s3://models/iris/lightgbm/v1", format: "lightgbm", storageSecretRef: { name: "s3-creds" } }),
    apply("gcs-sklearn", { uri: "gs://models/iris/v1", format: "sklearn", storageSecretRef: { name: "gcs" } }),
    apply("oci-sklearn", { uri: `oci://${stores.registry.address}/models/iris@${pushed.digest}`, format: "sklearn", storageSecretRef: { name: "registry" } }),
    apply("https-sklearn", { uri: `${stores.https.url}/iris-v1.tar.gz`, format: "sklearn", digest: archiveDigest, storageSecretRef: { name: "https" } }),
    apply("bad-digest", { uri: "s3://models/iris/sklearn/v1", format: "sklearn", digest: `sha256:${"0".repeat(64)}`, storageSecretRef: { name: "s3-creds" } }),
    apply("wrong-key", { uri: "s3://models/iris/sklearn/v1", format: "sklearn", storageSecretRef: { name: "s3-wrong-key" } }),
    apply("missing", { uri: "s3://models/iris/nothing-here/v1", format: "sklearn", storageSecretRef: { name: "s3-creds" } }),
    apply("pvc-verified", { uri: `pvc://models/${claimed.path}`, format: "sklearn", digest: claimDigest }),
    apply("pvc-bad-digest", { uri: `pvc://models/${claimed.path}`, format: "sklearn", digest: `sha256:${"1".repeat(64)}` }),
  ]);

  const stalled = async (name: string, reason: string): Promise<string> => {
    const md = await waitForMdep(cluster, ns, name, `Stalled ${reason}`, (m) => {
      assert.notEqual(condition(m, "Ready")?.status, "True", `${name} never reports Ready`);
      return m.status?.lastFailure?.reason === reason && condition(m, "Stalled")?.status === "True";
    }, 240_000);
    const message = md.status?.lastFailure?.message ?? "";
    console.log(`[delivery] ${name} Stalled after ${Math.round((Date.now() - created) / 1000)} s: ${reason}: ${message}`);
    return message;
  };
  const [mismatch, denied, notFound, claimMismatch] = await Promise.all([
    stalled("bad-digest", "ModelDigestMismatch"), stalled("wrong-key", "ModelAccessDenied"), stalled("missing", "ModelNotFound"),
    stalled("pvc-bad-digest", "ModelDigestMismatch"),
  ]);
  assert.match(claimMismatch, new RegExp(`init container model-verifier: /mnt/models/pvc-verified has digest ${claimDigest}, but spec.model.digest is sha256:1{64}$`));
  assert.ok(mismatch.includes(treeDigest) && mismatch.includes("0".repeat(64)), `both digests are named: ${mismatch}`);
  assert.match(denied, /with Secret s3-wrong-key/);
  assert.ok(!denied.includes("not-the-secret-key") && !denied.includes(stores.s3.secretAccessKey), "no credential in status");
  assert.match(notFound, /s3:\/\/models\/iris\/nothing-here\/v1/);

  for (const name of ["s3-sklearn", "s3-xgboost", "s3-lightgbm", "gcs-sklearn", "oci-sklearn", "https-sklearn", "pvc-verified"]) {
    await waitForMdep(cluster, ns, name, "Ready", (m) => m.status?.phase === "Ready", 300_000);
    const [pod] = await podsOf(cluster, ns, `mdo.dev/model-deployment=${name}`);
    const fetcher = name.startsWith("pvc-") ? "model-verifier" : "model-fetcher";
    const log = await cluster.kubectl(["logs", "-n", ns, pod?.metadata.name ?? "", "-c", fetcher]);
    const lines = log.stdout.split("\n");
    const done = lines.find((l) => l.includes(" Fetched ")) ?? lines.find((l) => l.includes(" Verified /"));
    console.log(`[delivery] ${name} Ready after ${Math.round((Date.now() - created) / 1000)} s; ${fetcher}: ${done?.slice(25)}`);
    if (fetcher === "model-fetcher") assert.match(log.stdout, /Laid out for mlserver: wrote model-settings\.json/);
    else assert.match(log.stdout, new RegExp(`Verified /mnt/models/pvc-verified: ${claimDigest}`));
    const expected = models.get(name)?.expected;
    const answer = await infer(name, expected?.rows ?? []);
    assert.equal(answer.status, 200, answer.body);
    const data = (JSON.parse(answer.body) as { outputs: { data: number[] }[] }).outputs[0]?.data ?? [];
    const served = (expected?.served ?? expected?.predictions ?? []).flat();
    assert.deepEqual(data.map((x) => Math.round(x * 1e6) / 1e6), served, `${name} answers what it predicted in-process`);
  }

  // A new version whose digest is wrong, rolled out by canary: its pod never starts, so it never
  // gets traffic, and the rollout rolls back at once with the fetcher's reason (not at the
  // progress deadline, 10 minutes by default).
  const canary = { strategy: "Canary", steps: [{ weight: 50, pause: "1m" }] };
  const bad = { uri: "s3://models/iris/sklearn/v1", format: "sklearn", version: "v2", digest: `sha256:${"2".repeat(64)}`, storageSecretRef: { name: "s3-creds" } };
  const changed = Date.now();
  await apply("s3-sklearn", bad, { rollout: canary });
  const view = (m: MdepView): RolloutMdepView => m;
  const rolledBack = view(await waitForMdep(cluster, ns, "s3-sklearn", "rolled back", (m) => view(m).status?.rollout?.phase === "RolledBack", 240_000));
  console.log(`[delivery] canary with a wrong digest rolled back after ${Math.round((Date.now() - changed) / 1000)} s: ${rolledBack.status?.lastFailure?.reason}: ${rolledBack.status?.lastFailure?.message}`);
  assert.equal(rolledBack.status?.lastFailure?.reason, "ModelDigestMismatch");
  assert.equal(rolledBack.status?.history?.at(-1)?.outcome, "RolledBack");
  assert.ok(Date.now() - changed < 240_000, "well before the 10-minute progress deadline");
  const stable = models.get("s3-sklearn")?.expected;
  const stillServed = await infer("s3-sklearn", stable?.rows ?? []);
  assert.equal(stillServed.status, 200, "the stable revision keeps serving");
});
