// Kubeconfigs the small loader does not serve go through @kubernetes/client-node, imported then.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { readKubeconfig } from "../../../src/runtime/client/access/kubeconfig-file.ts";
import { needsClientNode } from "../../../src/runtime/client/access/kubeconfig-access.ts";
import { kubeconfig, tempDir, writeFiles } from "./access-fixtures.ts";

const EXEC_USER = { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "prod"] } };

test("an exec user is served through @kubernetes/client-node, with the same server and namespace", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, { config: kubeconfig({ "certificate-authority": "ca.crt" }, EXEC_USER), "ca.crt": "CA" });
  const access = await loadClusterAccess({ kubeconfig: path });
  assert.match(access.source, /through @kubernetes\/client-node for the exec plugin of user "u"/);
  assert.equal(access.server.host, "api.example:6443");
  assert.equal(access.namespace, "team");
});

test("auth-provider users and proxied clusters need client-node; tokens and certificates do not", async () => {
  const dir = await tempDir();
  const reason = async (cluster: Record<string, unknown>, user: Record<string, unknown>): Promise<string | undefined> =>
    needsClientNode(await readKubeconfig([await writeFiles(dir, { config: kubeconfig(cluster, user) })]));
  assert.equal(await reason({}, { "auth-provider": { name: "oidc", config: {} } }), 'the auth-provider of user "u"');
  assert.equal(await reason({ "proxy-url": "http://proxy:3128" }, { token: "t" }), 'the proxy-url of cluster "c"');
  assert.equal(await reason({}, { token: "t", "client-certificate-data": "Qw==", "client-key-data": "Qw==" }), undefined);
});
