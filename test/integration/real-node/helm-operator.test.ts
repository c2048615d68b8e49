// `helm install` of the chart with the image built here: the operator runs in a real pod on the
// real node, reaches the API server through the `kubernetes` Service with nothing but its
// ServiceAccount's token (in-cluster config, the chart's RBAC), and reconciles a ModelDeployment
// whose own pods run on the real node to Ready; a prediction through the Service answers. No
// operator runs in the test process for this namespace.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { dump as dumpYaml } from "js-yaml";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { CHART_DIR, helm, helmOk } from "../../support/helm.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { waitForMdep } from "../../support/mdep.ts";
import {
  hostPathClaim, httpOnce, podsOf, predictionsOf, realNode, realNodePlacement, serviceUrl, trainIris, type TrainedIris,
} from "../../support/real-node.ts";

const NAME = "helm-iris";
const release = `mdo-${randomBytes(3).toString("hex")}`;
let cluster: TestCluster;
let ns: string;
let model: TrainedIris;
let valuesDir: string;
let deleteVolume: () => Promise<void> = () => Promise.resolve();

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "real-helm");
  await kubectlOk(cluster, ["label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted"]);
  model = await trainIris(NAME);
  deleteVolume = await hostPathClaim(cluster, ns, "models", model.hostDir);
  valuesDir = await mkdtemp(join(tmpdir(), "mdo-helm-values-"));
});

after(async () => {
  await helm(["uninstall", release, "--namespace", ns, "--wait"], cluster?.kubeconfigPath);
  await cluster?.kubectl(["delete", "namespace", ns, "--wait=false"]);
  await deleteVolume();
  await model?.remove();
  await rm(valuesDir, { recursive: true, force: true });
});

test("the chart's operator runs in a real pod with its ServiceAccount and serves a model on real pods", async () => {
  const node = await realNode(cluster);
  const placement = await realNodePlacement(cluster);
  const values = {
    // The CRD is the run's (installed by the global setup); this release must not own it.
    crds: { install: false },
    replicas: 1,
    // The image built and imported by the test setup; never pulled.
    image: { pullPolicy: "Never" },
    watchNamespace: ns,
    operator: { logLevel: "info" },
    ...placement,
  };
  const valuesFile = join(valuesDir, "values.yaml");
  await writeFile(valuesFile, dumpYaml(values));
  await helmOk(["install", release, CHART_DIR, "--namespace", ns, "--values", valuesFile, "--wait", "--timeout", "180s"], cluster.kubeconfigPath);

  const [operatorPod] = await podsOf(cluster, ns, `app.kubernetes.io/instance=${release}`);
  assert.ok(operatorPod !== undefined, "the operator pod exists");
  assert.equal(operatorPod.spec.nodeName, node.name, "the operator runs on the real node");
  console.log(`[real-node] operator pod ${operatorPod.metadata.name} Ready on ${node.name} (${node.containerRuntimeVersion})`);

  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: ns },
    spec: { model: { uri: `pvc://models/${model.path}`, format: "sklearn", version: "v1" }, replicas: 1, ...placement },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(md));
  const ready = await waitForMdep(cluster, ns, NAME, "Ready (reconciled by the operator in the pod)", (m) => m.status?.phase === "Ready", 180_000);
  assert.equal(ready.status?.readyReplicas, 1);
  const [modelPod] = await podsOf(cluster, ns, `mdo.dev/model-deployment=${NAME}`);
  assert.equal(modelPod?.spec.nodeName, node.name);

  // The status was written by the operator in the pod, authenticated as the chart's ServiceAccount.
  const managers = await kubectlOk(cluster, ["get", "mdep", NAME, "-n", ns, "--show-managed-fields", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.subresource} {end}"]);
  assert.match(managers, /\/status/, `a status writer is recorded: ${managers}`);
  const operatorLog = await kubectlOk(cluster, ["logs", "-n", ns, operatorPod.metadata.name]);
  assert.match(operatorLog, new RegExp(NAME), "the operator in the pod logged its reconcile of the ModelDeployment");
  const whoami = await kubectlOk(cluster, ["auth", "can-i", "--list", "-n", ns, `--as=system:serviceaccount:${ns}:${release}`]);
  assert.match(whoami, /modeldeployments\.mdo\.dev/, "the ServiceAccount's RBAC covers ModelDeployments");

  const url = await serviceUrl(cluster, ns, NAME);
  const predictions = predictionsOf(await httpOnce(`${url}/v2/models/${NAME}/infer`, { body: irisInferenceBody(model.expected.rows) }));
  assert.deepEqual(predictions, model.expected.predictions);
});
