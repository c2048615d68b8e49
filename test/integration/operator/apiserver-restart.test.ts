// The operator survives its API server: a kube-apiserver restart and an etcd compaction that
// makes its resourceVersions expire (410 Gone) are recovered from without help, and the changes
// made meanwhile are reconciled.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { LocalControlPlane } from "../../../src/sandbox/control-plane.ts";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { condition, minimalMdep, scrape, sumMetric, waitForMdep } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

let cluster: TestCluster;
let plane: LocalControlPlane;
let ns: string;
let operator: TestOperator;

before(async () => {
  cluster = await sharedCluster();
  plane = await LocalControlPlane.attach(cluster.dir);
  ns = await createNamespace(cluster, "restart");
  operator = await startTestOperator(cluster, ns);
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("survivor", ns));
  await waitForMdep(cluster, ns, "survivor", "Ready", (md) => condition(md, "Ready")?.status === "True");
});
after(async () => {
  await operator.stop();
});

async function etcd(path: string, body: unknown): Promise<{ header?: { revision?: string } }> {
  const res = await fetch(`http://127.0.0.1:${plane.state.layout.ports.etcdClient}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { header?: { revision?: string } };
}

async function replicasOf(name: string): Promise<string> {
  return (await kubectlOk(cluster, ["get", "deployments", "-n", ns, "-l", `mdo.dev/model-deployment=${name}`, "-o", "jsonpath={.items[*].spec.replicas}"])).trim();
}

test("after an apiserver restart and an etcd compaction, changes made meanwhile are reconciled", async () => {
  const restartsBefore = sumMetric(await scrape(operator.healthAddress), "mdo_informer_restarts_total");
  const expiredBefore = sumMetric(await scrape(operator.healthAddress), "mdo_informer_restarts_total", { reason: "ResourceVersionExpired" });

  await plane.stopComponent("kube-apiserver");
  await plane.startComponent("kube-apiserver");
  // Changes while the operator's watches are still down or backing off…
  await kubectlOk(cluster, ["patch", "mdep", "survivor", "-n", ns, "--type=merge", "-p", '{"spec":{"replicas":3}}']);
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("newcomer", ns));
  // …and the history the operator last saw is compacted away.
  const revision = (await etcd("/v3/kv/range", { key: Buffer.from("/registry").toString("base64") })).header?.revision;
  assert.ok(revision);
  await etcd("/v3/kv/compaction", { revision, physical: true });

  await waitFor("survivor scaled to 3", 90_000, async () => (await replicasOf("survivor")) === "3");
  await waitForMdep(cluster, ns, "newcomer", "Ready", (md) => condition(md, "Ready")?.status === "True", 90_000);
  const page = await scrape(operator.healthAddress);
  const restarts = sumMetric(page, "mdo_informer_restarts_total") - restartsBefore;
  const expired = sumMetric(page, "mdo_informer_restarts_total", { reason: "ResourceVersionExpired" }) - expiredBefore;
  console.log(`informer restarts during the outage: ${restarts} (of which 410 Gone relists: ${expired})`);
  assert.ok(restarts > 0, "the informers noticed the outage and restarted");
  assert.ok(expired > 0, "resuming from a compacted resourceVersion got 410 Gone and relisted");
});
