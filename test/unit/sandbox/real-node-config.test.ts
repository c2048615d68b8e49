import { strict as assert } from "node:assert";
import { test } from "node:test";
import { containerdConfig, defaultRegistryHosts } from "../../../src/sandbox/real-node/containerd.ts";
import { REAL_NODE_TAINT, REAL_NODE_TOLERATION } from "../../../src/sandbox/real-node/identity.ts";
import { kubeProxyConfig } from "../../../src/sandbox/real-node/kube-proxy.ts";
import { kubeletConfig } from "../../../src/sandbox/real-node/kubelet.ts";
import { cniConfig } from "../../../src/sandbox/real-node/network.ts";
import { nodePaths, SHIM_SOCKET_FALLBACK } from "../../../src/sandbox/real-node/paths.ts";
import type { Pki } from "../../../src/sandbox/pki.ts";

const paths = nodePaths("/tmp/mdo-test-cluster-abc123");
const pki = { dir: "/d/pki", caCert: "/d/pki/ca.crt" } as Pki;
const PRIVATE = /(^|[^\d.])(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/;

test("containerd keeps everything under the node dir and sends every registry to a closed loopback port", () => {
  const config = containerdConfig(paths);
  const quoted = [...config.matchAll(/'(\/[^']*)'/g)].map((m) => m[1]!);
  for (const path of quoted.filter((p) => p !== "/usr/sbin/runc" && p !== "/usr/lib/cni")) {
    assert.ok(path.startsWith("/tmp/mdo-test-cluster-abc123/real-node/"), path);
  }
  assert.match(config, /^version = 4$/m);
  assert.match(config, /restrict_oom_score_adj = true/);
  assert.match(config, /netns_mounts_under_state_dir = true/);
  assert.match(defaultRegistryHosts(), /^server = "http:\/\/127\.0\.0\.1:9"$/m);
});

test("a cluster dir too long for a shim socket dir falls back to a short fixed one", () => {
  assert.equal(nodePaths("/tmp/mdo-test-cluster-abc123").shimSocketDir, "/tmp/mdo-test-cluster-abc123/real-node/s");
  assert.equal(nodePaths(`/home/someone/${"x".repeat(40)}/.tmp/cluster`).shimSocketDir, SHIM_SOCKET_FALLBACK);
});

test("pods get routes for the pod network and the Service CIDR only, no default route", () => {
  const json = JSON.stringify(cniConfig(paths));
  const parsed = JSON.parse(json) as { plugins: { ipam: { routes: unknown } }[] };
  assert.deepEqual(parsed.plugins[0]?.ipam.routes, [{ dst: "198.18.0.0/16" }, { dst: "198.19.0.0/16" }]);
  assert.doesNotMatch(json, /0\.0\.0\.0\/0/);
  assert.doesNotMatch(json, PRIVATE);
});

test("the kubelet authenticates and authorizes its API, listens on the bridge and loopback only", () => {
  const config = kubeletConfig(paths, pki, { server: 1, healthz: 2 }, { cert: "c", key: "k" }) as Record<string, unknown>;
  assert.deepEqual(config.authentication, { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: "/d/pki/ca.crt" } });
  assert.deepEqual(config.authorization, { mode: "Webhook" });
  assert.equal(config.address, "198.18.0.1");
  assert.equal(config.healthzBindAddress, "127.0.0.1");
  assert.equal(config.readOnlyPort, 0);
  assert.deepEqual(config.registerWithTaints, [REAL_NODE_TAINT]);
  assert.equal(config.resolvConf, paths.resolvConf);
});

test("kube-proxy binds loopback, leaves route_localnet and conntrack sysctls alone", () => {
  const config = kubeProxyConfig(paths, { healthz: 1, metrics: 2 }) as { [k: string]: unknown; iptables: { localhostNodePorts: boolean }; conntrack: { maxPerCore: number } };
  assert.equal(config.mode, "iptables");
  assert.equal(config.healthzBindAddress, "127.0.0.1:1");
  assert.equal(config.metricsBindAddress, "127.0.0.1:2");
  assert.equal(config.iptables.localhostNodePorts, false);
  assert.equal(config.conntrack.maxPerCore, 0);
});

test("the toleration matches the taint", () => {
  assert.deepEqual({ key: REAL_NODE_TOLERATION.key, value: REAL_NODE_TOLERATION.value, effect: REAL_NODE_TOLERATION.effect }, REAL_NODE_TAINT);
});
