// `helm install` of the chart with the image built here: the operator runs in a real pod on the
// real node, reaches the API server through the `kubernetes` Service with nothing but its
// ServiceAccount's token (in-cluster config, the chart's RBAC), and reconciles a ModelDeployment
// whose own pods run on the real node to Ready; a prediction through the Service answers. Then
// the same ModelDeployment scales to zero and a request is held by the chart's own activator
// pods (operator URL, activator Service, RBAC as installed) until a pod is ready again. No
// operator runs in the test process for this namespace.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { dump as dumpYaml } from "js-yaml";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { CHART_DIR, helm, helmOk } from "../../support/helm.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { waitForMdep } from "../../support/mdep.ts";
import { httpOnceWhenRouted, podsOf, predictionsOf, realNode, realNodePlacement, serviceUrl, useRealModel } from "../../support/real-node.ts";

const NAME = "helm-iris";
const release = `mdo-${randomBytes(3).toString("hex")}`;
let valuesDir: string;

// Registered before the fixture's hooks, so the release is uninstalled before its namespace goes.
after(async () => {
  await helm(["uninstall", release, "--namespace", fx.ns, "--wait"], fx.cluster?.kubeconfigPath);
  await rm(valuesDir, { recursive: true, force: true });
});
const fx = useRealModel("real-helm", NAME, { restricted: true, operator: false });

before(async () => {
  valuesDir = await mkdtemp(join(tmpdir(), "mdo-helm-values-"));
});

test("the chart's operator runs in a real pod with its ServiceAccount and serves a model on real pods", async () => {
  const node = await realNode(fx.cluster);
  const placement = await realNodePlacement(fx.cluster);
  const values = {
    // The CRD is the run's (installed by the global setup); this release must not own it.
    crds: { install: false },
    replicas: 1,
    // The image built and imported by the test setup; never pulled.
    image: { pullPolicy: "Never" },
    watchNamespace: fx.ns,
    operator: { logLevel: "info" },
    // The read-only web dashboard (off by default), in its own pod behind its own Service.
    dashboard: { enabled: true },
    ...placement,
  };
  const valuesFile = join(valuesDir, "values.yaml");
  await writeFile(valuesFile, dumpYaml(values));
  await helmOk(["install", release, CHART_DIR, "--namespace", fx.ns, "--values", valuesFile, "--wait", "--timeout", "180s"], fx.cluster.kubeconfigPath);

  const [operatorPod] = await podsOf(fx.cluster, fx.ns, `app.kubernetes.io/instance=${release},app.kubernetes.io/component=operator`);
  assert.ok(operatorPod !== undefined, "the operator pod exists");
  assert.equal(operatorPod.spec.nodeName, node.name, "the operator runs on the real node");
  console.log(`[real-node] operator pod ${operatorPod.metadata.name} Ready on ${node.name} (${node.containerRuntimeVersion})`);

  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: fx.ns },
    spec: { model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version: "v1" }, replicas: 1, ...placement },
  };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(md));
  const ready = await waitForMdep(fx.cluster, fx.ns, NAME, "Ready (reconciled by the operator in the pod)", (m) => m.status?.phase === "Ready", 180_000);
  assert.equal(ready.status?.readyReplicas, 1);
  const [modelPod] = await podsOf(fx.cluster, fx.ns, `mdo.dev/model-deployment=${NAME}`);
  assert.equal(modelPod?.spec.nodeName, node.name);

  // The status was written by the operator in the pod, authenticated as the chart's ServiceAccount.
  const managers = await kubectlOk(fx.cluster, ["get", "mdep", NAME, "-n", fx.ns, "--show-managed-fields", "-o", "jsonpath={range .metadata.managedFields[*]}{.manager}/{.subresource} {end}"]);
  assert.match(managers, /\/status/, `a status writer is recorded: ${managers}`);
  const operatorLog = await kubectlOk(fx.cluster, ["logs", "-n", fx.ns, operatorPod.metadata.name]);
  assert.match(operatorLog, new RegExp(NAME), "the operator in the pod logged its reconcile of the ModelDeployment");
  const whoami = await kubectlOk(fx.cluster, ["auth", "can-i", "--list", "-n", fx.ns, `--as=system:serviceaccount:${fx.ns}:${release}`]);
  assert.match(whoami, /modeldeployments\.mdo\.dev/, "the ServiceAccount's RBAC covers ModelDeployments");

  const url = await serviceUrl(fx.cluster, fx.ns, NAME);
  const predictions = predictionsOf(await httpOnceWhenRouted(`${url}/v2/models/${NAME}/infer`, { body: irisInferenceBody(fx.model.expected.rows) }));
  assert.deepEqual(predictions, fx.model.expected.predictions);

  // The chart's dashboard runs the image's `mdo dashboard` (its page files included) with its own
  // read-only ServiceAccount: the page and the list answer through its Service.
  const dashboard = await serviceUrl(fx.cluster, fx.ns, `${release}-dashboard`);
  const page = await httpOnceWhenRouted(`${dashboard}/`);
  assert.equal(page.status, 200, page.body);
  assert.match(page.body, /<html/i);
  const listed = await httpOnceWhenRouted(`${dashboard}/api/modeldeployments`);
  assert.equal(listed.status, 200, listed.body);
  const items = (JSON.parse(listed.body) as { items: { name: string; namespace: string; phase?: string }[] }).items;
  assert.deepEqual(items.map((i) => [i.namespace, i.name, i.phase]), [[fx.ns, NAME, "Ready"]]);

  const activatorPods = (await podsOf(fx.cluster, fx.ns, `app.kubernetes.io/instance=${release},app.kubernetes.io/component=activator`))
    .filter((p) => p.metadata.deletionTimestamp === undefined && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
  assert.equal(activatorPods.length, 2, "the chart runs two ready activator replicas");
  // Scale to zero through the chart's activator pods. The test cluster has no DNS: the activators
  // are given the operator's metrics Service by address (activator.operatorUrl) instead of by name.
  const metricsIp = await kubectlOk(fx.cluster, ["get", "service", `${release}-metrics`, "-n", fx.ns, "-o", "jsonpath={.spec.clusterIP}"]);
  await helmOk(["upgrade", release, CHART_DIR, "--namespace", fx.ns, "--reuse-values", "--set", `activator.operatorUrl=http://${metricsIp}:8081`, "--wait", "--timeout", "120s"], fx.cluster.kubeconfigPath);
  const zero = { ...md, spec: { ...md.spec, replicas: undefined, autoscaling: { minReplicas: 0, maxReplicas: 1, metric: "concurrency", target: 4, window: "6s", panicWindow: "2s", scaleToZero: { idleAfter: "5s" } } } };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(zero));
  await waitForMdep(fx.cluster, fx.ns, NAME, "scaled to zero, the Service at the activators",
    (m) => (m.status?.readyReplicas ?? 0) === 0 && (m.status as { autoscaling?: { routedToActivator?: boolean } } | undefined)?.autoscaling?.routedToActivator === true, 120_000);
  // A pod being deleted still serves while it drains (the Service falls back to serving,
  // terminating endpoints until the activator slices are programmed): only once it is gone must
  // the request be held.
  await waitFor("the model's pods gone", 60_000, async () => (await podsOf(fx.cluster, fx.ns, `mdo.dev/model-deployment=${NAME}`)).length === 0);
  const held = await httpOnceWhenRouted(`${url}/v2/models/${NAME}/infer`, {
    body: irisInferenceBody(fx.model.expected.rows), timeoutMs: 90_000, headers: { host: `${NAME}.${fx.ns}.svc.cluster.local` },
  });
  assert.deepEqual(predictionsOf(held), fx.model.expected.predictions, "held at zero by an activator pod, answered by the new pod");
  assert.ok(held.headers?.["x-mdo-cold-start"] !== undefined, `the answer says a cold start happened: ${JSON.stringify(held.headers)}`);
  console.log(`[real-node] chart activator: a request at zero answered after a ${String(held.headers?.["x-mdo-cold-start"])} ms cold start`);
});
