// The runtime's client and informer against the real API server: server-side apply as `mdo`,
// list+watch into a cache, and handlers that see adds, updates and deletes.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { Resources } from "../../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { Informer, type InformerEventType } from "../../../src/runtime/informer.ts";
import { createNamespace, sharedCluster, waitFor } from "../../support/cluster.ts";

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown[] };
  data?: Record<string, string>;
}

test("server-side apply is idempotent and the informer sees every change", async (t) => {
  const cluster = await sharedCluster();
  const ns = await createNamespace(cluster, "informer");
  const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
  t.after(() => client.transport.close());
  const desired = (value: string): ConfigMap => ({
    apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: ns }, data: { value },
  });

  const first = await client.apply(Resources.configMaps, desired("1"));
  const again = await client.apply(Resources.configMaps, desired("1"));
  assert.equal(again.metadata?.resourceVersion, first.metadata?.resourceVersion, "unchanged apply writes nothing");

  const informer = new Informer<ConfigMap>(client, { ref: Resources.configMaps, namespace: ns });
  const seen: [InformerEventType, string | undefined][] = [];
  informer.onChange((type, cm) => {
    if (cm.metadata?.name === "cfg") seen.push([type, cm.data?.value]);
  });
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  t.after(async () => {
    stop.abort();
    await running;
  });
  await informer.waitForSync();
  assert.equal(informer.get(`${ns}/cfg`)?.data?.value, "1");
  assert.equal(informer.get(`${ns}/cfg`)?.metadata?.managedFields, undefined, "managedFields stripped");

  await client.apply(Resources.configMaps, desired("2"));
  await waitFor("the update in the cache", 10_000, () => informer.get(`${ns}/cfg`)?.data?.value === "2");
  await client.delete(Resources.configMaps, ns, "cfg");
  await waitFor("the delete in the cache", 10_000, () => informer.get(`${ns}/cfg`) === undefined);
  assert.deepEqual(seen, [["added", "1"], ["updated", "2"], ["deleted", "2"]]);
});
