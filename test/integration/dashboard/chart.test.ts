// The chart's in-cluster dashboard: off by default; when on, a restricted pod like the operator's
// running `mdo dashboard --address 0.0.0.0`, a Service, and RBAC that only reads — enough for the
// dashboard itself, run here with the token of the ServiceAccount the chart creates.
import { strict as assert } from "node:assert";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startDashboard } from "../../../src/dashboard/server.ts";
import { directFetcher } from "../../../src/dashboard/live-drift.ts";
import { buildBaseline } from "../../../src/drift/index.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { CHART_DIR, helmOk, renderChart } from "../../support/helm.ts";
import { IRIS_FEATURES, irisRows } from "../../support/iris-data.ts";
import { canaryManifest, canaryStatus, writeStatus } from "./fixtures.ts";

type Obj = { kind: string; metadata: { name: string; namespace?: string }; rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[]; spec?: Record<string, unknown> };
interface PodSpec { securityContext: unknown; serviceAccountName: string; containers: { image: string; args: string[]; securityContext: unknown; ports: unknown[] }[] }
const deploymentPod = (o: Obj | undefined): PodSpec => (o?.spec as { template: { spec: PodSpec } }).template.spec;

let cluster: TestCluster;
let dir: string;
before(async () => {
  cluster = await sharedCluster();
  dir = await mkdtemp(join(tmpdir(), "mdo-dashboard-chart-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("off by default; when on: a restricted pod running mdo dashboard, its Service and read-only RBAC", async () => {
  const off = (await renderChart("rel", "ops")) as Obj[];
  assert.ok(!off.some((o) => o.metadata.name.includes("dashboard")), "no dashboard object by default");
  const lint = await helmOk(["lint", "--strict", CHART_DIR, "--set", "dashboard.enabled=true"]);
  assert.doesNotMatch(lint, /\[(WARNING|ERROR)\]/, lint);

  const on = (await renderChart("rel", "ops", ["dashboard.enabled=true"])) as Obj[];
  const operator = deploymentPod(on.find((o) => o.kind === "Deployment" && o.metadata.name === "rel-mdo"));
  const pod = deploymentPod(on.find((o) => o.kind === "Deployment" && o.metadata.name === "rel-mdo-dashboard"));
  assert.deepEqual(pod.securityContext, operator.securityContext);
  assert.equal(pod.serviceAccountName, "rel-mdo-dashboard");
  const [container] = pod.containers;
  assert.ok(container);
  assert.equal(container.image, operator.containers[0]?.image);
  assert.deepEqual(container.securityContext, operator.containers[0]?.securityContext);
  assert.deepEqual(container.args, ["dashboard", "--address=0.0.0.0", "--port=8080", "--namespace=all", "--agents=direct", "--agent-port=9090"]);
  assert.ok(!container.args.includes("--allow-writes"));
  const service = on.find((o) => o.kind === "Service" && o.metadata.name === "rel-mdo-dashboard");
  assert.deepEqual((service?.spec as { ports: unknown[] }).ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
  const role = on.find((o) => o.kind === "ClusterRole" && o.metadata.name === "rel-mdo-dashboard");
  assert.deepEqual(role?.rules, [
    { apiGroups: ["mdo.dev"], resources: ["modeldeployments"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["configmaps"], verbs: ["get"] },
    { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
  ]);
  for (const object of on.filter((o) => o.metadata.name.includes("dashboard"))) {
    const out = await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=chart-test", "--dry-run=server", "-f", "-"], JSON.stringify({ ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace === undefined ? undefined : "default" } }));
    assert.match(out, /serverside-applied \(server dry run\)/, `${object.kind} ${object.metadata.name}`);
  }
});

test("the chart's namespaced RBAC is all the dashboard needs: list, detail, baseline and pods, and no write", async () => {
  const ns = await createNamespace(cluster, "dash-rbac");
  const objects = (await renderChart("rb", ns, ["dashboard.enabled=true", `dashboard.namespace=${ns}`])) as Obj[];
  const rbac = objects.filter((o) => ["ServiceAccount", "Role", "RoleBinding"].includes(o.kind) && o.metadata.name === "rb-mdo-dashboard");
  assert.deepEqual(rbac.map((o) => [o.kind, o.metadata.namespace]), [["ServiceAccount", ns], ["Role", ns], ["RoleBinding", ns]]);
  for (const o of rbac) await kubectlOk(cluster, ["apply", "--server-side", "--field-manager=chart-test", "-f", "-"], JSON.stringify(o));
  await kubectlOk(cluster, ["create", "configmap", "alpha-baseline", "-n", ns, "--from-literal=baseline.json=" + JSON.stringify(buildBaseline(irisRows(500, 1), { columns: IRIS_FEATURES, bins: 5 }))]);
  await kubectlOk(cluster, ["apply", "-f", "-"], canaryManifest("alpha", ns, "alpha-baseline"));
  await writeStatus(cluster, ns, "alpha", canaryStatus("alpha", 0, "2026-12-04T10:01:00Z", 0.995, 100));

  const token = (await kubectlOk(cluster, ["create", "token", "rb-mdo-dashboard", "-n", ns])).trim();
  const kubeconfig = join(dir, "dashboard-sa.kubeconfig");
  await copyFile(cluster.kubeconfigPath, kubeconfig);
  await kubectlOk(cluster, ["--kubeconfig", kubeconfig, "config", "set-credentials", "dashboard-sa", `--token=${token}`]);
  await kubectlOk(cluster, ["--kubeconfig", kubeconfig, "config", "set-context", "--current", "--user=dashboard-sa"]);
  const transport = new KubeTransport(await loadClusterAccess({ kubeconfig }));
  const dashboard = await startDashboard({
    client: new KubeClient(transport), namespace: ns, allowWrites: false, writer: () => Promise.reject(new Error("no writes here")),
    driftFetcher: directFetcher(), agentPort: 9090, port: 0, address: "127.0.0.1",
  });
  try {
    await dashboard.synced;
    const list = await (await fetch(`${dashboard.url}/api/modeldeployments`)).json() as { items: { name: string; phase: string }[] };
    assert.deepEqual(list.items.map((i) => [i.name, i.phase]), [["alpha", "Progressing"]]);
    assert.equal((await fetch(`${dashboard.url}/readyz`)).status, 200);
    const drift = await (await fetch(`${dashboard.url}/api/modeldeployments/${ns}/alpha/drift`)).json() as { features: { name: string; bins: string[] }[]; notes: string[] };
    assert.equal(drift.features.length, 4, "the baseline ConfigMap was read");
    assert.deepEqual(drift.notes, ["Revision 7d4f9c has no ready pod whose agent could report a live window."], "pods were listed (none is there)");
    const denied = await cluster.kubectl(["--kubeconfig", kubeconfig, "annotate", "mdep", "alpha", "-n", ns, "mdo.dev/promote=x"]);
    assert.notEqual(denied.code, 0, "the ServiceAccount cannot write a ModelDeployment");
    assert.match(denied.stderr, /forbidden/);
  } finally {
    await dashboard.close();
    transport.close();
    await kubectlOk(cluster, ["delete", "namespace", ns, "--wait=false"]);
  }
});
