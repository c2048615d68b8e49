// helm install / upgrade / uninstall against the test cluster with the real helm CLI. The CRD is
// shared with every other test: the release adopts it (Helm's ownership annotations), keeps it on
// uninstall (crds.keep) and gives it back afterwards; it is never deleted.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { CHART_DIR, helmOk } from "../../support/helm.ts";

const CRD = "crd/modeldeployments.mdo.dev";
/** Both CRDs of the chart, adopted by the release and checked the same way. */
const CRDS = [CRD, "crd/batchpredictions.mdo.dev"];
let cluster: TestCluster;
let ns: string;
const release = `mdo-${randomBytes(3).toString("hex")}`;

interface DeploymentView {
  metadata: { generation: number };
  spec: { replicas: number; template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } };
  status: { readyReplicas?: number; updatedReplicas?: number; observedGeneration?: number };
}

const deployment = async (): Promise<DeploymentView> =>
  JSON.parse(await kubectlOk(cluster, ["get", "deployment", release, "-n", ns, "-o", "json"])) as DeploymentView;
const rolledOut = (): Promise<string> =>
  kubectlOk(cluster, ["rollout", "status", `deployment/${release}`, "-n", ns, "--timeout=120s"]);

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "chart-install");
  // Let the release adopt the CRD the global setup installed.
  await kubectlOk(cluster, ["annotate", ...CRDS, "--overwrite", `meta.helm.sh/release-name=${release}`, `meta.helm.sh/release-namespace=${ns}`]);
  await kubectlOk(cluster, ["label", ...CRDS, "--overwrite", "app.kubernetes.io/managed-by=Helm"]);
});

after(async () => {
  await cluster.kubectl(["annotate", ...CRDS, "meta.helm.sh/release-name-", "meta.helm.sh/release-namespace-", "helm.sh/resource-policy-"]);
  await cluster.kubectl(["label", ...CRDS, "app.kubernetes.io/managed-by-"]);
  await cluster.kubectl(["delete", "namespace", ns, "--wait=false"]);
});

test("helm install: the operator Deployment gets Ready pods and the CRD is Established and kept", async () => {
  const out = await helmOk(["install", release, CHART_DIR, "--namespace", ns], cluster.kubeconfigPath);
  assert.match(out, /STATUS: deployed/);
  assert.match(out, /rollout status deployment\//, "NOTES.txt says what to do next");
  await rolledOut();
  const d = await deployment();
  assert.equal(d.spec.replicas, 2);
  assert.equal(d.status.readyReplicas, 2);
  for (const crd of CRDS) {
    const established = await kubectlOk(cluster, ["get", crd, "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"]);
    assert.equal(established, "True", crd);
    assert.equal(await kubectlOk(cluster, ["get", crd, "-o", "jsonpath={.metadata.annotations.helm\\.sh/resource-policy}"]), "keep", crd);
  }
  assert.equal((await kubectlOk(cluster, ["get", "pdb", release, "-n", ns, "-o", "jsonpath={.spec.minAvailable}"])).trim(), "1");
});

test("helm upgrade with a changed log level and replica count rolls the Deployment", async () => {
  const before = await deployment();
  await helmOk(["upgrade", release, CHART_DIR, "--namespace", ns, "--reuse-values", "--set", "operator.logLevel=debug", "--set", "replicas=3"], cluster.kubeconfigPath);
  await rolledOut();
  const after = await deployment();
  assert.ok(after.metadata.generation > before.metadata.generation);
  assert.equal(after.spec.template.spec.containers[0]!.env.find((e) => e.name === "MDO_LOG_LEVEL")?.value, "debug");
  assert.equal(after.status.readyReplicas, 3);
  assert.equal(after.status.updatedReplicas, 3);
  const replicaSets = await kubectlOk(cluster, ["get", "replicasets", "-n", ns, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=operator`, "-o", "name"]);
  assert.equal(replicaSets.trim().split("\n").length, 2, "the pod template change made a new ReplicaSet");
});

test("helm uninstall removes the operator and its RBAC and keeps the CRD", async () => {
  const out = await helmOk(["uninstall", release, "--namespace", ns, "--wait"], cluster.kubeconfigPath);
  assert.match(out, /kept due to the resource policy|uninstalled/);
  for (const [kind, namespaced] of [["deployment", true], ["serviceaccount", true], ["role", true], ["service", true], ["clusterrole", false], ["clusterrolebinding", false]] as const) {
    const got = await cluster.kubectl(["get", kind, namespaced ? release : release, ...(namespaced ? ["-n", ns] : [])]);
    assert.notEqual(got.code, 0, `${kind} ${release} is gone`);
  }
  for (const crd of CRDS) assert.equal(await kubectlOk(cluster, ["get", crd, "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"]), "True", crd);
});
