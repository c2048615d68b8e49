// The operator, run in-process with a token of the chart's ServiceAccount (so with exactly the
// chart's RBAC and nothing else), reconciles a ModelDeployment to Ready and holds the leader Lease.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { dump } from "js-yaml";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { CHART_DIR, helmOk } from "../../support/helm.ts";
import { condition, getMdep, minimalMdep, waitForMdep } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

let cluster: TestCluster;
let system: string;
let work: string;
let dir: string;
let operator: TestOperator | undefined;
const release = `mdo-${randomBytes(3).toString("hex")}`;

before(async () => {
  cluster = await sharedCluster();
  system = await createNamespace(cluster, "chart-rbac-system");
  work = await createNamespace(cluster, "chart-rbac-work");
  await helmOk(["install", release, CHART_DIR, "--namespace", system, "--set", "crds.install=false"], cluster.kubeconfigPath);
  dir = await mkdtemp(join(tmpdir(), "mdo-chart-rbac-"));
});

after(async () => {
  await operator?.stop();
  await helmOk(["uninstall", release, "--namespace", system], cluster.kubeconfigPath).catch(() => undefined);
  for (const ns of [system, work]) await cluster.kubectl(["delete", "namespace", ns, "--wait=false"]);
  await rm(dir, { recursive: true, force: true });
});

/** A kubeconfig that authenticates as the chart's ServiceAccount only. */
async function serviceAccountKubeconfig(): Promise<string> {
  const token = (await kubectlOk(cluster, ["create", "token", release, "-n", system, "--duration=1h"])).trim();
  const server = cluster.kubeConfig.getCurrentCluster();
  assert.ok(server, "the test kubeconfig has a current cluster");
  const ca = server.caData ?? (server.caFile === undefined ? undefined : (await readFile(server.caFile)).toString("base64"));
  const path = join(dir, "kubeconfig");
  await writeFile(path, dump({
    apiVersion: "v1", kind: "Config", "current-context": "sa",
    clusters: [{ name: "test", cluster: { server: server.server, "certificate-authority-data": ca } }],
    users: [{ name: "sa", user: { token } }],
    contexts: [{ name: "sa", context: { cluster: "test", user: "sa" } }],
  }), { mode: 0o600 });
  return path;
}

test("the ServiceAccount may not list or watch Secrets, nor touch Leases outside its namespace nor Gateways", async () => {
  const as = `--as=system:serviceaccount:${system}:${release}`;
  for (const [verb, resource, ns, allowed] of [
    ["get", "secrets", work, "yes"], ["list", "secrets", work, "no"], ["watch", "secrets", work, "no"],
    ["create", "leases", system, "yes"], ["create", "leases", work, "no"], ["patch", "deployments.apps", work, "yes"],
    ["delete", "modeldeployments.mdo.dev", work, "no"],
    // The GatewayAPI traffic router writes HTTPRoutes, and nothing else of the Gateway API.
    ["patch", "httproutes.gateway.networking.k8s.io", work, "yes"], ["delete", "httproutes.gateway.networking.k8s.io", work, "yes"],
    ["watch", "httproutes.gateway.networking.k8s.io", work, "yes"], ["patch", "gateways.gateway.networking.k8s.io", work, "no"],
  ] as const) {
    const result = await cluster.kubectl(["auth", "can-i", verb, resource, "-n", ns, as]);
    assert.equal(result.stdout.trim(), allowed, `${verb} ${resource} in ${ns}`);
  }
});

test("the activator's ServiceAccount may read pods and ModelDeployments and nothing else", async () => {
  const as = `--as=system:serviceaccount:${system}:${release}-activator`;
  for (const [verb, resource, allowed, ...extra] of [
    ["watch", "pods", "yes"], ["list", "pods", "yes"], ["get", "pods", "yes"], ["delete", "pods", "no"], ["get", "pods", "no", "--subresource=log"],
    ["get", "secrets", "no"], ["list", "services", "no"], ["list", "endpointslices.discovery.k8s.io", "no"], ["list", "modeldeployments.mdo.dev", "yes"], ["watch", "modeldeployments.mdo.dev", "yes"], ["patch", "modeldeployments.mdo.dev", "no"],
  ] as const) {
    const result = await cluster.kubectl(["auth", "can-i", verb, resource, ...extra, "-n", work, as]);
    assert.equal(result.stdout.trim(), allowed, `${verb} ${resource} ${extra.join(" ")}`);
  }
});

test("with exactly the chart's permissions the operator leads and reconciles a ModelDeployment to Ready", async () => {
  operator = await startTestOperator(cluster, work, {
    kubeconfig: await serviceAccountKubeconfig(),
    leaderElect: "true", leaseNamespace: system, leaseName: "mdo-operator", identity: "rbac-test",
  });
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("iris", work, { replicas: 2 }));
  const md = await waitForMdep(cluster, work, "iris", "Ready", (m) =>
    condition(m, "Ready")?.status === "True" && m.status?.observedGeneration === m.metadata.generation, 90_000);
  assert.equal(md.status?.readyReplicas, 2);
  assert.equal(await kubectlOk(cluster, ["get", "lease", "mdo-operator", "-n", system, "-o", "jsonpath={.spec.holderIdentity}"]), "rbac-test");
  const events = await kubectlOk(cluster, ["get", "events.events.k8s.io", "-n", work, "-o", "jsonpath={.items[*].reportingController}"]);
  assert.match(events, /mdo\.dev\/operator/, "the operator recorded Events");
});

test("with the chart's permissions: a new revision retires the old one, a deleted child returns, a missing Secret stalls", async () => {
  assert.ok(operator, "runs after the operator started above");
  const before = (await getMdep(cluster, work, "iris")).status?.stable?.revision;
  await kubectlOk(cluster, ["patch", "mdep", "iris", "-n", work, "--type=merge", "-p", '{"spec":{"model":{"uri":"s3://models/iris/v2","version":"v2"}}}']);
  await waitForMdep(cluster, work, "iris", "Ready on v2", (m) => condition(m, "Ready")?.status === "True" && m.status?.stable?.modelVersion === "v2", 90_000);
  // Scaled through the scale subresource and kept at zero replicas as the drift rollback target.
  await waitFor("the old revision scaled to zero", 30_000, async () =>
    (await kubectlOk(cluster, ["get", "deployment", `iris-${before}`, "-n", work, "-o", "jsonpath={.spec.replicas}/{.status.replicas}"])).trim().replace(/\/$/, "/0") === "0/0");

  await kubectlOk(cluster, ["delete", "service", "iris", "-n", work]);
  await waitFor("the Service recreated", 30_000, async () => (await cluster.kubectl(["get", "service", "iris", "-n", work])).code === 0);

  const manifest = JSON.parse(minimalMdep("locked", work)) as { spec: { model: Record<string, unknown> } };
  manifest.spec.model.storageSecretRef = { name: "absent-creds" };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(manifest));
  const stalled = await waitForMdep(cluster, work, "locked", "Stalled", (m) => condition(m, "Stalled")?.status === "True");
  assert.equal(condition(stalled, "Stalled")?.reason, "SecretNotFound", "Secrets can be looked up (get) with the chart's role");
});
