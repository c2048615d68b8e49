// Flux health (docs/gitops.md): kstatus, the library Flux's kustomize-controller and
// helm-controller assess health with, run on ModelDeployments and BatchPredictions in every phase
// the operator sets. Each status is computed by the operator's own status functions, written
// through the status subresource of the real CRDs, read back, and then judged side by side by
// kstatus, by Flux's fork of it, by Flux's evaluator of the healthCheckExprs docs/gitops.md shows
// (test/support/kstatus) and by the Argo CD health scripts (deploy/argocd/*.lua).
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { computeKstatus, kstatusBinary, type HealthCheckExprs, type KstatusResult, type Verdict } from "../../support/kstatus.ts";
import { luahealthBinary, runHealthScript } from "../../support/luahealth.ts";
import { batchCases } from "./batch-cases.ts";
import { modelDeploymentCases, type ArgoHealth, type Kstatus } from "./md-cases.ts";

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

interface Case {
  name: string;
  object: KubeObject;
  generation: number;
  status: object;
  phase: string;
  kstatus: Kstatus;
  argo: ArgoHealth;
}

const API_VERSION = "mdo.dev/v1alpha1";
/** The healthCheckExprs entry docs/gitops.md tells Flux users to write. */
const DOCUMENTED_EXPRS = documentedExprs();
let cluster: TestCluster;
let ns: string;
let kstatus: string;
let lua: string;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "flux-kstatus");
  kstatus = await kstatusBinary();
  lua = luahealthBinary();
});

after(async () => {
  await kubectlOk(cluster, ["delete", "namespace", ns, "--wait=false"]);
});

function modelDeployment(name: string, suspend: boolean): KubeObject {
  return {
    apiVersion: API_VERSION, kind: "ModelDeployment", metadata: { name, namespace: ns },
    spec: { model: { uri: `s3://models/${name}/v1`, format: "custom", version: "v1" }, image: "registry.example/model-server:1.0", replicas: 2, ...(suspend && { suspend }) },
  };
}

function batchPrediction(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: API_VERSION, kind: "BatchPrediction", metadata: { name, namespace: ns },
    spec: { model: { uri: "s3://models/iris/", format: "sklearn", version: "v3" }, input: { uri: "s3://data/in/" }, output: { uri: "s3://data/out/" }, ...spec },
  };
}

function documentedExprs(): HealthCheckExprs {
  const docs = readFileSync(join(import.meta.dirname, "..", "..", "..", "docs", "gitops.md"), "utf8");
  const flux = docs.slice(docs.indexOf("\n## Flux\n"), docs.indexOf("\n## ", docs.indexOf("\n## Flux\n") + 1));
  const expr = (field: string) => flux.match(new RegExp(`^ +${field}: (.+)$`, "m"))?.[1];
  const current = expr("current");
  const failed = expr("failed");
  assert.ok(current !== undefined && failed !== undefined, "docs/gitops.md shows healthCheckExprs with current and failed");
  return { current, failed };
}

const list = (items: unknown[]) => JSON.stringify({ apiVersion: "v1", kind: "List", items });

/** Gets the objects again, in the cases' order. */
async function readBack(cases: readonly Case[]): Promise<KubeObject[]> {
  const kinds = [...new Set(cases.map((c) => c.object.kind))].join(",");
  const items = (JSON.parse(await kubectlOk(cluster, ["get", kinds, "-n", ns, "-o", "json"])) as { items: KubeObject[] }).items;
  return cases.map((c) => {
    const found = items.find((o) => o.kind === c.object.kind && o.metadata.name === c.object.metadata.name);
    assert.ok(found !== undefined, `${c.name}: ${c.object.kind} ${c.object.metadata.name} not found`);
    return found;
  });
}

/**
 * Creates the cases' objects, changes each spec until its generation is the one its status was
 * computed for, writes each status through the status subresource, and returns the objects as
 * the API server now serves them.
 */
async function writeThroughApiServer(cases: readonly Case[]): Promise<KubeObject[]> {
  await kubectlOk(cluster, ["create", "-f", "-"], list(cases.map((c) => c.object)));
  for (const c of cases) {
    for (let generation = 2; generation <= c.generation; generation++) {
      await kubectlOk(cluster, ["patch", c.object.kind, c.object.metadata.name, "-n", ns, "--type=merge", "-p", JSON.stringify({ spec: { model: { version: `v${generation}` } } })]);
    }
  }
  const current = await readBack(cases);
  current.forEach((o, i) => assert.equal(o.metadata.generation, cases[i]!.generation, cases[i]!.name));
  await kubectlOk(cluster, ["replace", "--subresource=status", "-f", "-"], list(current.map((o, i) => ({ ...o, status: cases[i]!.status }))));
  return readBack(cases);
}

function health(object: KubeObject): string {
  return runHealthScript(lua, `deploy/argocd/${object.kind === "BatchPrediction" ? "batch-health" : "health"}.lua`, object).status;
}

function statusOf(result: Verdict | undefined): string {
  assert.ok(result !== undefined && "status" in result, `could not compute: ${JSON.stringify(result)}`);
  return result.status;
}

/** kstatus's verdict; Flux's fork and the documented healthCheckExprs must say the same. */
function fluxVerdict(name: string, result: KstatusResult): string {
  const { flux, exprs, ...kstatus } = result;
  assert.deepEqual(flux, kstatus, `${name}: Flux's fork of kstatus agrees with kstatus`);
  assert.equal(statusOf(exprs), statusOf(kstatus), `${name}: the healthCheckExprs of docs/gitops.md agree with kstatus`);
  return statusOf(kstatus);
}

/** Argo CD health and kstatus status that mean the same thing; Suspended has no kstatus twin. */
const SAME: Record<ArgoHealth, Kstatus | undefined> = { Healthy: "Current", Progressing: "InProgress", Degraded: "Failed", Suspended: undefined };

/** Writes, reads back and judges every case; returns the cases where Argo CD and kstatus disagree. */
async function judge(cases: readonly Case[]): Promise<string[]> {
  const served = await writeThroughApiServer(cases);
  const results = await computeKstatus(kstatus, served, { exprs: DOCUMENTED_EXPRS });
  const table: string[] = [];
  const disagreements: string[] = [];
  cases.forEach((c, i) => {
    const object = served[i]!;
    const got = { phase: object.status?.phase, kstatus: fluxVerdict(c.name, results[i]!), argo: health(object) };
    table.push(`${object.kind} ${String(got.phase).padEnd(11)} ${got.kstatus.padEnd(10)} ${got.argo.padEnd(11)} ${c.name}`);
    assert.deepEqual(object.status, JSON.parse(JSON.stringify(c.status)), `${c.name}: the CRD keeps the status as the operator wrote it`);
    assert.deepEqual(got, { phase: c.phase, kstatus: c.kstatus, argo: c.argo }, `${c.name}: ${JSON.stringify(results[i])}`);
    const same = SAME[c.argo];
    if (same !== undefined && same !== c.kstatus) disagreements.push(c.name);
  });
  console.log(`kind phase kstatus argo case\n${table.join("\n")}`);
  return disagreements;
}

test("ModelDeployments in every phase: kstatus Current, InProgress or Failed as docs/gitops.md says", async () => {
  const cases = modelDeploymentCases().map((c, i) => ({ ...c, object: modelDeployment(`md-${i}`, c.suspend) }));
  assert.deepEqual([...new Set(cases.map((c) => c.phase))].sort(), ["Degraded", "Failed", "Pending", "Progressing", "Ready", "Suspended"]);
  const disagreements = await judge(cases);
  assert.deepEqual(disagreements, ["old revision's pod failing while the new one rolls out"], "Argo CD and kstatus agree elsewhere");
});

test("BatchPredictions in every phase: kstatus Current, InProgress or Failed as docs/gitops.md says", async () => {
  const cases = batchCases().map((c, i) => ({ ...c, generation: 1, object: batchPrediction(`bp-${i}`, c.spec) }));
  assert.deepEqual([...new Set(cases.map((c) => c.phase))].sort(), ["Failed", "Pending", "Running", "Scheduled", "Succeeded", "Suspended"]);
  assert.deepEqual(await judge(cases), [], "Argo CD and kstatus agree");
});

test("a spec change the operator has not observed yet is InProgress, whatever the last status said", async () => {
  const picked = ["rolled out", "every pod crash-looping"]; // Current and Failed before the change
  const cases = modelDeploymentCases().filter((c) => picked.includes(c.name)).map((c, i) => ({ ...c, object: modelDeployment(`changed-${i}`, c.suspend) }));
  assert.deepEqual(cases.map((c) => c.kstatus), ["Current", "Failed"]);
  await writeThroughApiServer(cases);
  for (const c of cases) {
    await kubectlOk(cluster, ["patch", "modeldeployment", c.object.metadata.name, "-n", ns, "--type=merge", "-p", JSON.stringify({ spec: { model: { version: "v9" } } })]);
  }
  const served = await readBack(cases);
  const results = await computeKstatus(kstatus, served, { exprs: DOCUMENTED_EXPRS });
  served.forEach((object, i) => {
    assert.deepEqual([object.metadata.generation, object.status?.observedGeneration], [2, 1], object.metadata.name);
    const verdict = { status: "InProgress", message: "ModelDeployment generation is 2, but latest observed generation is 1" };
    assert.deepEqual(results[i], { ...verdict, flux: verdict, exprs: { status: "InProgress" } });
    assert.equal(health(object), "Progressing", object.metadata.name);
  });
});

test("before the operator's first status write kstatus says Current, the documented healthCheckExprs fail to evaluate, Argo CD says Progressing", async () => {
  const fresh = [modelDeployment("fresh", false), batchPrediction("fresh", {})];
  await kubectlOk(cluster, ["create", "-f", "-"], list(fresh));
  const items = (JSON.parse(await kubectlOk(cluster, ["get", "modeldeployment/fresh", "batchprediction/fresh", "-n", ns, "-o", "json"])) as { items: KubeObject[] }).items;
  assert.deepEqual(items.map((o) => o.status), [undefined, undefined], "no status yet");
  // kstatus has nothing to go on (no observedGeneration, no condition) and assumes Current.
  const current = { status: "Current", message: "Resource is current" };
  const results = await computeKstatus(kstatus, items, { exprs: DOCUMENTED_EXPRS });
  for (const result of results) {
    const { exprs, ...rest } = result;
    assert.deepEqual(rest, { ...current, flux: current });
    assert.ok(exprs !== undefined && "error" in exprs, JSON.stringify(exprs));
    assert.match(exprs.error, /no such attribute\(s\): status\.conditions/);
  }
  assert.deepEqual(items.map(health), ["Progressing", "Progressing"]);
});
