// The operator keeps children as declared: hand edits are put back, deleted children come back,
// a spec change rolls a new revision, and deleting the ModelDeployment removes everything.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { condition, getMdep, minimalMdep, recordVersions, waitForMdep } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

let cluster: TestCluster;
let ns: string;
let operator: TestOperator;
const ready = (md: Awaited<ReturnType<typeof getMdep>>): boolean =>
  condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "lifecycle");
  operator = await startTestOperator(cluster, ns);
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("iris", ns, { replicas: 2 }));
  await waitForMdep(cluster, ns, "iris", "Ready", ready);
});
after(async () => {
  await operator.stop();
});

test("a managed field edited by hand is put back", async () => {
  await kubectlOk(cluster, ["patch", "service", "iris", "-n", ns, "--type=json", "-p", '[{"op":"replace","path":"/spec/ports/0/port","value":8888}]']);
  await waitFor("the Service port restored", 30_000, async () =>
    (await kubectlOk(cluster, ["get", "service", "iris", "-n", ns, "-o", "jsonpath={.spec.ports[0].port}"])).trim() === "80");
  await kubectlOk(cluster, ["label", "service", "iris", "-n", ns, "app.kubernetes.io/managed-by-"]);
  await waitFor("the managed-by label restored", 30_000, async () =>
    (await kubectlOk(cluster, ["get", "service", "iris", "-n", ns, "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}"])).trim() === "mdo");
});

test("a deleted child is recreated", async () => {
  const configMap = async (): Promise<{ name: string; uid: string } | undefined> => {
    const out = await kubectlOk(cluster, ["get", "configmaps", "-n", ns, "-l", "mdo.dev/model-deployment=iris", "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.uid}{\"\\n\"}{end}"]);
    const [name, uid] = out.trim().split(" ");
    return name && uid ? { name, uid } : undefined;
  };
  const before = await configMap();
  assert.ok(before, "the agent ConfigMap exists");
  await kubectlOk(cluster, ["delete", "configmap", before.name, "-n", ns]);
  await waitFor("the agent ConfigMap recreated", 30_000, async () => {
    const now = await configMap();
    return now !== undefined && now.name === before.name && now.uid !== before.uid;
  });
});

test("a spec change rolls a new revision: Reconciling, then Ready, old revision retired", async () => {
  const first = await getMdep(cluster, ns, "iris");
  const oldRevision = first.status?.stable?.revision;
  assert.ok(oldRevision);
  const recorder = await recordVersions(cluster, ns, "iris");
  await kubectlOk(cluster, ["patch", "mdep", "iris", "-n", ns, "--type=merge", "-p", '{"spec":{"model":{"uri":"s3://models/iris/v2","version":"v2"}}}']);
  const done = await waitForMdep(cluster, ns, "iris", "Ready on v2", (md) => ready(md) && md.status?.stable?.modelVersion === "v2");
  const versions = await recorder.stop();
  const generation = done.metadata.generation;
  const rolling = versions.findIndex((md) => md.status?.observedGeneration === generation && condition(md, "Reconciling")?.status === "True");
  assert.ok(rolling >= 0, `a status with Reconciling=True for generation ${generation} was written`);
  assert.equal(condition(versions[rolling]!, "Ready")?.status, "False", "not Ready while the new revision rolls out");
  assert.ok(versions.slice(rolling).some(ready), "then Ready");
  assert.notEqual(done.status?.stable?.revision, oldRevision);
  assert.equal(condition(done, "Reconciling")?.status, "False");
  // The replaced revision is kept at zero replicas, as the target of a drift rollback.
  await waitFor("the old revision scaled to zero", 30_000, async () =>
    (await kubectlOk(cluster, ["get", "deployment", `iris-${oldRevision}`, "-n", ns, "-o", "jsonpath={.spec.replicas}/{.status.replicas}"])).trim().replace(/\/$/, "/0") === "0/0");
});

test("deleting the ModelDeployment garbage-collects every child", async () => {
  await kubectlOk(cluster, ["delete", "mdep", "iris", "-n", ns, "--wait=true"]);
  await waitFor("all children gone", 60_000, async () => {
    const left = await kubectlOk(cluster, ["get", "deployments,services,configmaps,hpa,pdb,pods", "-n", ns, "-l", "mdo.dev/model-deployment=iris", "-o", "name"]);
    return left.trim() === "";
  });
});

test("an object MDO did not create is never modified or adopted: the name clash is Stalled", async () => {
  await kubectlOk(cluster, ["create", "service", "clusterip", "taken", "-n", ns, "--tcp=5678:5678"]);
  const before = JSON.parse(await kubectlOk(cluster, ["get", "service", "taken", "-n", ns, "-o", "json"])) as { metadata: { resourceVersion: string } };
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("taken", ns));
  const stalled = await waitForMdep(cluster, ns, "taken", "Stalled on the clash", (md) => condition(md, "Stalled")?.status === "True");
  assert.equal(condition(stalled, "Stalled")?.reason, "ChildConflict");
  assert.match(condition(stalled, "Stalled")?.message ?? "", /Service .*taken/);
  const after = JSON.parse(await kubectlOk(cluster, ["get", "service", "taken", "-n", ns, "-o", "json"])) as {
    metadata: { resourceVersion: string; ownerReferences?: unknown[] };
  };
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, "the foreign Service was not written to");
  assert.equal(after.metadata.ownerReferences, undefined, "and not adopted");
  await kubectlOk(cluster, ["delete", "mdep", "taken", "-n", ns]);
});
