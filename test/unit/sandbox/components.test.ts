import { strict as assert } from "node:assert";
import { test } from "node:test";
import { componentSpecs, fakeNodeManifest, type Layout } from "../../../src/sandbox/components.ts";
import { renderKubeconfig } from "../../../src/sandbox/kubeconfig.ts";
import { freePorts } from "../../../src/sandbox/ports.ts";

const layout: Layout = {
  dir: "/d",
  binDir: "/bin",
  kwokStagesDir: "/stages",
  kubeconfigPath: "/d/kubeconfig",
  ports: { etcdClient: 1001, etcdPeer: 1002, apiServer: 1003, controllerManager: 1004, scheduler: 1005 },
  pki: {
    dir: "/d", caCert: "/d/ca.crt", caKey: "/d/ca.key", servingCert: "/d/s.crt", servingKey: "/d/s.key",
    kubeletClientCert: "/d/kc.crt", kubeletClientKey: "/d/kc.key",
    serviceAccountKey: "/d/sa.key", tokenFile: "/d/tokens.csv", adminToken: "t", nodeToken: "n", proxyToken: "p",
  },
};

test("every component listens on loopback only", () => {
  for (const spec of Object.values(componentSpecs(layout))) {
    const urlFlags = spec.args.filter((a) => /^--(etcd-servers|listen-|advertise-client|initial-)/.test(a));
    const urls = urlFlags.flatMap((a) => a.match(/https?:\/\/[^,\s]+/g) ?? []);
    for (const url of urls) assert.match(url, /^https?:\/\/127\.0\.0\.1:\d+/, `${spec.name}: ${url}`);
    if (spec.health !== undefined) assert.match(spec.health.url, /^https?:\/\/127\.0\.0\.1:/);
    const bind = spec.args.find((a) => a.startsWith("--bind-address="));
    if (bind !== undefined) assert.equal(bind, "--bind-address=127.0.0.1");
  }
});

test("the apiserver and controller-manager share the ServiceAccount key; kwok manages only its fake node", () => {
  const specs = componentSpecs(layout);
  assert.ok(specs["kube-apiserver"].args.includes("--service-account-signing-key-file=/d/sa.key"));
  assert.ok(specs["kube-controller-manager"].args.includes("--service-account-private-key-file=/d/sa.key"));
  assert.ok(specs.kwok.args.includes("--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake"));
  assert.ok(specs.kwok.args.includes("--cidr=198.18.128.0/17"));
  assert.ok(specs["kube-apiserver"].args.includes("--service-cluster-ip-range=198.19.0.0/16"));
  assert.ok(specs.kwok.args.includes("--config=/stages/fast"));
  assert.equal(specs["kube-apiserver"].health?.url, "https://127.0.0.1:1003/readyz");
});

test("with a real node the apiserver is reachable from pods and authorizes kubelets", () => {
  const args = componentSpecs({ ...layout, realNode: true })["kube-apiserver"].args;
  for (const flag of ["--bind-address=0.0.0.0", "--advertise-address=198.18.0.1", "--endpoint-reconciler-type=lease",
    "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction", "--kubelet-preferred-address-types=InternalIP",
    "--kubelet-client-certificate=/d/kc.crt", "--kubelet-client-key=/d/kc.key"]) {
    assert.ok(args.includes(flag), flag);
  }
});

test("the fake Node is untainted and kwok-managed", () => {
  const node = JSON.parse(fakeNodeManifest("n1")) as { metadata: { annotations: Record<string, string> }; spec?: unknown };
  assert.equal(node.metadata.annotations["kwok.x-k8s.io/node"], "fake");
  assert.equal(node.spec, undefined);
});

test("the kubeconfig names the server, CA file and token", () => {
  const config = JSON.parse(renderKubeconfig("https://127.0.0.1:1", "/ca", "tok")) as {
    clusters: { cluster: { server: string; "certificate-authority": string } }[];
    users: { user: { token: string } }[];
  };
  assert.equal(config.clusters[0]?.cluster.server, "https://127.0.0.1:1");
  assert.equal(config.clusters[0]?.cluster["certificate-authority"], "/ca");
  assert.equal(config.users[0]?.user.token, "tok");
});

test("freePorts returns distinct ports", async () => {
  const ports = await freePorts(8);
  assert.equal(new Set(ports).size, 8);
  for (const p of ports) assert.ok(p > 0 && p < 65536);
});
