// The chart lints clean, every object it renders is accepted by a real API server (server-side
// dry run), its RBAC holds no wildcard and no Secret list/watch, and its values are strict.
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { before, test } from "node:test";
import { dump } from "js-yaml";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { CHART_DIR, helm, helmOk, renderChart } from "../../support/helm.ts";

type Obj = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[] };
interface Rule { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] }
interface PodSpec {
  securityContext: Record<string, unknown>;
  serviceAccountName: string;
  affinity?: unknown;
  containers: Array<Record<string, unknown> & { args?: string[] }>;
}

const ALL_ON = ["metrics.serviceMonitor.enabled=true", "metrics.prometheusRule.enabled=true", "argocd.healthCheck.enabled=true"];
let cluster: TestCluster;
before(async () => {
  cluster = await sharedCluster();
});

test("helm lint --strict is clean with default values and with every option on", async () => {
  for (const set of [[], ALL_ON, ["watchNamespace=team-a", "replicas=1", "leaderElection.enabled=false", "crds.install=false"]]) {
    const out = await helmOk(["lint", "--strict", CHART_DIR, ...set.flatMap((s) => ["--set", s])]);
    assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    assert.doesNotMatch(out, /\[(WARNING|ERROR)\]/, out);
  }
});

test("every object of helm template passes a server-side dry run (cluster-wide and namespace-scoped)", async () => {
  const ns = await createNamespace(cluster, "chart-dry");
  try {
    for (const set of [[], [`watchNamespace=${ns}`, "replicas=1"]]) {
      const objects = (await renderChart("dry", ns, set)) as Obj[];
      assert.ok(objects.length >= 9, `rendered ${objects.length} objects`);
      for (const object of objects) {
        // The CRD exists already (global setup); a forced dry-run apply still validates it in full.
        const out = await kubectlOk(cluster, ["apply", "--server-side", "--force-conflicts", "--field-manager=chart-test", "--dry-run=server", "-f", "-"], JSON.stringify(object));
        assert.match(out, /serverside-applied \(server dry run\)/, `${object.kind} ${object.metadata.name}`);
      }
    }
  } finally {
    await kubectlOk(cluster, ["delete", "namespace", ns, "--wait=false"]);
  }
});

test("the default render has the operator's shape: restricted pod, probes, leader election, PDB", async () => {
  const objects = (await renderChart("shape", "ops")) as Obj[];
  const kinds = objects.map((o) => o.kind).sort();
  assert.deepEqual(kinds, [
    "ClusterRole", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "CustomResourceDefinition", "Deployment", "Deployment",
    "PodDisruptionBudget", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "Service", "ServiceAccount", "ServiceAccount",
  ]);
  const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "shape-mdo") as unknown as {
    spec: { replicas: number; template: { spec: { securityContext: Record<string, unknown>; containers: Array<Record<string, unknown> & { env: Array<{ name: string; value?: string; valueFrom?: unknown }> }> } } };
  };
  assert.equal(deployment.spec.replicas, 2);
  const pod = deployment.spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const container = pod.containers[0]!;
  assert.equal(container.image, "ghcr.io/mdo-dev/mdo:0.1.0");
  assert.equal(container.command, undefined, "the image's entrypoint runs mdo");
  assert.deepEqual(container.args, ["operator"]);
  assert.equal(pod.securityContext.runAsUser, 1000, "the Dockerfile's USER");
  assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } });
  const env = Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
  assert.deepEqual(env.POD_NAME, { fieldRef: { fieldPath: "metadata.name" } });
  assert.equal(env.MDO_LEADER_ELECT, "true");
  assert.equal(env.MDO_LEASE_NAMESPACE, "ops");
  assert.equal(env.MDO_HEALTH_ADDRESS, "0.0.0.0:8081");
  assert.equal(env.MDO_RUNTIME_CATALOG, "/etc/mdo/catalog/runtimes.yaml");
  assert.equal(env.MDO_NAMESPACE, undefined);
  assert.equal(env.MDO_ACTIVATOR_SERVICE, "ops/shape-mdo-activator", "scale to zero routes to the chart's activator");
  assert.deepEqual((container.livenessProbe as { httpGet: unknown }).httpGet, { path: "/healthz", port: "http-metrics" });
  assert.deepEqual((container.readinessProbe as { httpGet: unknown }).httpGet, { path: "/readyz", port: "http-metrics" });
  const crd = objects.find((o) => o.kind === "CustomResourceDefinition") as unknown as { metadata: { annotations?: Record<string, string> } };
  assert.equal(crd.metadata.annotations?.["helm.sh/resource-policy"], "keep");

  const single = (await renderChart("shape", "ops", ["replicas=1", "activator.replicas=1", "crds.keep=false"])) as Obj[];
  assert.ok(!single.some((o) => o.kind === "PodDisruptionBudget"), "no PDB for one replica");
  assert.equal((single.find((o) => o.kind === "CustomResourceDefinition") as unknown as { metadata: { annotations?: unknown } }).metadata.annotations, undefined);
  assert.ok(!(await renderChart("shape", "ops", ["crds.install=false"])).some((o) => o.kind === "CustomResourceDefinition"));
});

test("RBAC: no wildcard anywhere, Secrets only get, Leases only in the release namespace", async () => {
  for (const set of [[], ["watchNamespace=team-a"]]) {
    const objects = (await renderChart("rbac", "ops", set)) as Obj[];
    const roles = objects.filter((o) => o.kind === "ClusterRole" || o.kind === "Role");
    // The operator's, its leader election's and the activator's; namespace-scoped elsewhere, also
    // the operator's read of the activator Service's EndpointSlices in the release namespace.
    assert.equal(roles.length, set.length === 0 ? 3 : 4);
    for (const role of roles) {
      for (const rule of role.rules ?? []) {
        for (const field of [rule.apiGroups ?? [], rule.resources ?? [], rule.verbs, rule.resourceNames ?? []]) {
          assert.ok(!field.some((v) => v.includes("*")), `${role.kind} ${role.metadata.name}: ${JSON.stringify(rule)}`);
        }
        if (rule.resources?.includes("secrets")) assert.deepEqual(rule.verbs, ["get"]);
        if (rule.resources?.includes("leases")) assert.equal(role.kind, "Role");
      }
    }
    const leases = roles.find((r) => r.rules?.some((rule) => rule.resources?.includes("leases")));
    assert.equal(leases?.metadata.namespace, "ops");
    const activator = roles.find((r) => r.metadata.name === "rbac-mdo-activator");
    assert.deepEqual(activator?.rules, [
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["mdo.dev"], resources: ["modeldeployments"], verbs: ["list", "watch"] },
    ], "the activator only reads pods and ModelDeployments");
    if (set.length > 0) {
      assert.ok(!objects.some((o) => o.kind.startsWith("Cluster")), "watchNamespace leaves no cluster-wide RBAC");
      const endpoints = roles.find((r) => r.metadata.name === "rbac-mdo-activator-endpoints");
      assert.equal(endpoints?.metadata.namespace, "ops");
      assert.deepEqual(endpoints?.rules, [{ apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] }]);
      assert.ok(roles.every((r) => r.rules?.some((rule) => rule.resources?.includes("leases")) || r === endpoints || r.metadata.namespace === "team-a"));
    }
  }
});

test("options: runtime catalog into a mounted ConfigMap, images, Argo CD health check, monitoring", async () => {
  const objects = (await renderChart("opts", "ops", [...ALL_ON, "runtimeCatalog[0].name=mlserver", "runtimeCatalog[0].image=registry.example/mlserver:9", "agentImage=registry.example/agent:1"])) as Obj[];
  const catalog = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "opts-mdo-runtime-catalog") as unknown as { data: Record<string, string> };
  assert.equal(catalog.data["runtimes.yaml"]!.trim(), dump([{ image: "registry.example/mlserver:9", name: "mlserver" }]).trim());
  const argocd = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "argocd-cm") as unknown as { metadata: { namespace: string }; data: Record<string, string> };
  assert.equal(argocd.metadata.namespace, "argocd");
  assert.equal(argocd.data["resource.customizations.health.mdo.dev_ModelDeployment"], await readFile(join(import.meta.dirname, "..", "..", "..", "deploy", "argocd", "health.lua"), "utf8"));
  assert.equal(argocd.data["resource.customizations.health.mdo.dev_BatchPrediction"], await readFile(join(import.meta.dirname, "..", "..", "..", "deploy", "argocd", "batch-health.lua"), "utf8"));
  assert.ok(objects.some((o) => o.kind === "ServiceMonitor") && objects.some((o) => o.kind === "PrometheusRule"));
  assert.ok(objects.some((o) => o.kind === "ServiceMonitor" && o.metadata.name === "opts-mdo-activator"), "the activator's metrics are scraped too");
  for (const monitor of objects.filter((o) => o.kind === "ServiceMonitor")) {
    const endpoints = (monitor as unknown as { spec: { endpoints: { honorLabels?: boolean }[] } }).spec.endpoints;
    assert.ok(endpoints.every((e) => e.honorLabels === true), `${monitor.metadata.name} keeps the series' own namespace label`);
  }
  const rendered = JSON.stringify(objects.find((o) => o.kind === "Deployment" && o.metadata.name === "opts-mdo"));
  assert.match(rendered, /"MDO_AGENT_IMAGE","value":"registry.example\/agent:1"/);
  assert.match(rendered, /"MDO_FETCHER_IMAGE","value":"ghcr.io\/mdo-dev\/mdo:0.1.0"/);
});

test("the activator: restricted pod like the operator's, its args, probes, a Service port named http, PDB, anti-affinity; none when disabled", async () => {
  const objects = (await renderChart("act", "ops", ["watchNamespace=team-a"])) as Obj[];
  const operator = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "act-mdo") as unknown as { spec: { template: { spec: PodSpec } } };
  const activator = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "act-mdo-activator") as unknown as {
    spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
  };
  assert.equal(activator.spec.replicas, 2);
  assert.equal(activator.spec.template.metadata.labels["mdo.dev/activator"], "true", "NetworkPolicies of scale-to-zero ModelDeployments admit it");
  assert.equal(activator.spec.selector.matchLabels["app.kubernetes.io/component"], "activator");
  const pod = activator.spec.template.spec;
  assert.deepEqual(pod.securityContext, operator.spec.template.spec.securityContext);
  assert.equal(pod.serviceAccountName, "act-mdo-activator");
  const [container] = pod.containers;
  assert.ok(container);
  assert.equal(container.image, operator.spec.template.spec.containers[0]?.image);
  assert.deepEqual(container.securityContext, operator.spec.template.spec.containers[0]?.securityContext);
  assert.deepEqual(container.args, [
    "activator", "--operator-url=http://act-mdo-metrics.ops.svc:8081", "--listen=0.0.0.0:8080", "--health-address=0.0.0.0:9090",
    "--namespace=team-a", "--max-queued-per-target=100", "--cold-start-timeout=60", "--max-body-bytes=8388608", "--cluster-domain=cluster.local", "--log-level=info",
  ]);
  assert.deepEqual((container.readinessProbe as { httpGet: unknown }).httpGet, { path: "/readyz", port: "http-metrics" });
  assert.deepEqual((container.livenessProbe as { httpGet: unknown }).httpGet, { path: "/healthz", port: "http-metrics" });
  const anti = (pod.affinity as { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: Array<{ podAffinityTerm: { topologyKey: string } }> } }).podAntiAffinity;
  assert.equal(anti.preferredDuringSchedulingIgnoredDuringExecution[0]?.podAffinityTerm.topologyKey, "kubernetes.io/hostname");
  const service = objects.find((o) => o.kind === "Service" && o.metadata.name === "act-mdo-activator") as unknown as { spec: { ports: Array<Record<string, unknown>> } };
  assert.deepEqual(service.spec.ports[0], { name: "http", port: 80, targetPort: "http", protocol: "TCP" });
  const pdb = objects.find((o) => o.kind === "PodDisruptionBudget" && o.metadata.name === "act-mdo-activator") as unknown as { spec: { minAvailable: number } };
  assert.equal(pdb.spec.minAvailable, 1);

  const off = (await renderChart("act", "ops", ["activator.enabled=false", "metrics.service.enabled=false"])) as Obj[];
  assert.ok(!off.some((o) => o.metadata.name.startsWith("act-mdo-activator")), "no activator object");
  assert.ok(!off.some((o) => o.kind === "Service"), "no operator Service either: only the activator needed it");
  assert.doesNotMatch(JSON.stringify(off.find((o) => o.kind === "Deployment")), /MDO_ACTIVATOR_SERVICE/);
});

test("values.schema.json rejects unknown keys and invalid values", async () => {
  for (const set of ["unknown=1", "operator.logLevel=loud", "crds.extra=true", "replicas=-1", "image.pullPolicy=Sometimes", "activator.replicas=0", "activator.extra=1", "activator.logLevel=loud"]) {
    const result = await helm(["template", "bad", CHART_DIR, "--set", set]);
    assert.notEqual(result.code, 0, set);
    assert.match(result.stderr, /schema|not allowed|must be|value must be|additional properties/i, result.stderr);
  }
});
