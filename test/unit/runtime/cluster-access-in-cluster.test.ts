// In-cluster access from a service-account directory: server from the environment, the token
// re-read as the kubelet rotates it, the CA, and the default order of sources.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { ClusterAccessError } from "../../../src/runtime/client/access/types.ts";
import { kubeconfig, tempDir, writeFiles } from "./access-fixtures.ts";

const POD_ENV = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };

async function serviceAccount(): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, { token: "token-1\n", "ca.crt": "CLUSTER CA", namespace: "mdo-system\n" });
  return dir;
}

test("in a pod: https to the service host, the CA, the namespace and the token, re-read after a minute", async () => {
  const dir = await serviceAccount();
  let now = 1_000;
  const access = await loadClusterAccess({ env: POD_ENV, serviceAccountDir: dir, now: () => now });
  assert.equal(access.server.href, "https://10.96.0.1/");
  assert.equal(access.namespace, "mdo-system");
  assert.match(access.source, /in-cluster/);
  const first = await access.requestOptions();
  assert.equal(String(first.ca), "CLUSTER CA");
  assert.equal(first.headers?.Authorization, "Bearer token-1");
  await writeFiles(dir, { token: "token-2\n" });
  now += 30_000;
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer token-1");
  now += 30_000;
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer token-2");
});

test("a token that cannot be re-read keeps the last one (a rotation in progress)", async () => {
  const dir = await serviceAccount();
  let now = 0;
  const access = await loadClusterAccess({ env: POD_ENV, serviceAccountDir: dir, now: () => now });
  await access.requestOptions();
  const { rm } = await import("node:fs/promises");
  await rm(join(dir, "token"));
  now = 120_000;
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer token-1");
});

test("an IPv6 service host is bracketed", async () => {
  const access = await loadClusterAccess({ env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" }, serviceAccountDir: await serviceAccount() });
  assert.equal(access.server.host, "[fd00::1]");
});

test("default order: in-cluster before KUBECONFIG; kubectl's order (inClusterFirst false) the other way round", async () => {
  const saDir = await serviceAccount();
  const home = await tempDir();
  const path = await writeFiles(home, { config: kubeconfig({ server: "https://from-file:6443" }, { token: "t" }) });
  const env = { ...POD_ENV, KUBECONFIG: path };
  assert.match((await loadClusterAccess({ env, serviceAccountDir: saDir })).source, /in-cluster/);
  assert.equal((await loadClusterAccess({ env, serviceAccountDir: saDir, inClusterFirst: false })).server.host, "from-file:6443");
  // Not in a pod (no token mounted): KUBECONFIG.
  assert.equal((await loadClusterAccess({ env, serviceAccountDir: join(saDir, "absent") })).server.host, "from-file:6443");
});

test("KUBECONFIG files merge as kubectl merges them: first definition and first current-context win, missing files skipped", async () => {
  const dir = await tempDir();
  const first = await writeFiles(dir, { first: JSON.stringify({ clusters: [{ name: "c", cluster: { server: "https://first:6443" } }], users: [{ name: "u", user: { token: "first" } }] }) });
  const second = await writeFiles(dir, { second: kubeconfig({ server: "https://second:6443" }, { token: "second" }) });
  const access = await loadClusterAccess({ env: { KUBECONFIG: [join(dir, "absent"), first, second].join(":") }, serviceAccountDir: join(dir, "absent") });
  assert.equal(access.server.host, "first:6443");
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer first");
  assert.equal(access.namespace, "team");
});

test("~/.kube/config when KUBECONFIG is unset; nowhere to look fails listing what was tried", async () => {
  const home = await tempDir();
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(home, ".kube"));
  await writeFiles(join(home, ".kube"), { config: kubeconfig({ server: "https://home:6443" }, { token: "t" }) });
  assert.equal((await loadClusterAccess({ env: { HOME: home }, serviceAccountDir: join(home, "absent") })).server.host, "home:6443");
  const empty = await tempDir();
  await assert.rejects(loadClusterAccess({ env: { HOME: empty }, serviceAccountDir: join(empty, "absent") }), (error: unknown) =>
    error instanceof ClusterAccessError && /not in a pod .* KUBECONFIG is not set and .*\.kube\/config does not exist/.test(error.message));
  await assert.rejects(loadClusterAccess({ env: { KUBECONFIG: join(empty, "nope") }, serviceAccountDir: join(empty, "absent") }), /no file of KUBECONFIG \(.*nope\) exists/);
});
