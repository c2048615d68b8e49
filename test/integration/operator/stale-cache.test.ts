// The operator decides on its caches, and a cache can lag behind the operator's own writes (a
// busy API server, a slow watch). Here the ModelDeployment watch delivers every event 2 s late:
// a reconcile that ran on the cache alone would find the rollout where it was before its last
// status write, undo the step it just took (scale the canary back) and write the old state back.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { KubeClient, type KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { Resources } from "../../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { MODEL_DEPLOYMENTS } from "../../../src/controllers/modeldeployment/resource.ts";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { laggingWatch } from "../../support/lagging-watch.ts";
import { condition, recordVersions, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import { mdepWithRollout, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

const LAG_MS = 2000;
let cluster: TestCluster;
let ns: string;
let operator: TestOperator | undefined;
let client: KubeClient | undefined;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "stale");
  operator = await startTestOperator(cluster, ns, {}, { listWatcher: (c) => laggingWatch(c, MODEL_DEPLOYMENTS, LAG_MS) });
  client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
});
after(async () => {
  await operator?.stop();
  client?.transport.close();
});

const view = (md: MdepView): RolloutMdepView => md;
const readyOn = (version: string) => (md: MdepView): boolean =>
  condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation && md.status?.stable?.modelVersion === version;

test("with a ModelDeployment watch 2 s late, a canary still walks its steps forward only and is promoted once", async () => {
  const steps = [{ weight: 25, pause: "1s" }, { weight: 50, pause: "1s" }];
  await kubectlOk(cluster, ["apply", "-f", "-"], mdepWithRollout("lag", ns, { strategy: "Canary", steps }, { replicas: 4 }));
  const v1 = view(await waitForMdep(cluster, ns, "lag", "Ready on v1", readyOn("v1"), 90_000));
  const stable = v1.status?.stable?.revision ?? "";

  const replicas = new Map<string, number[]>();
  const stop = new AbortController();
  const list = await client!.list<KubeObject>(Resources.deployments, { namespace: ns });
  const watching = client!.watch<KubeObject & { spec?: { replicas?: number } }>(Resources.deployments, {
    namespace: ns, resourceVersion: list.resourceVersion, timeoutSeconds: 300, idleTimeoutMs: 600_000, signal: stop.signal,
  }, (event) => {
    if (event.type === "BOOKMARK") return;
    const name = event.object.metadata?.name ?? "";
    replicas.set(name, [...(replicas.get(name) ?? []), event.object.spec?.replicas ?? 0]);
  });
  const recorder = await recordVersions(cluster, ns, "lag");
  let done: RolloutMdepView;
  try {
    await setModelVersion(cluster, ns, "lag", "v2");
    done = view(await waitForMdep(cluster, ns, "lag", "promoted to v2", readyOn("v2"), 90_000));
    // Long enough for every late event to have been delivered and acted on.
    await new Promise((r) => setTimeout(r, 3 * LAG_MS));
  } finally {
    stop.abort();
    await watching.catch(() => undefined);
  }
  const versions = (await recorder.stop()).map(view);
  const canary = done.status?.stable?.revision ?? "";
  assert.notEqual(canary, stable);

  const grew = (replicas.get(`lag-${canary}`) ?? []).filter((n, i, all) => n > 0 && n !== all[i - 1]);
  assert.deepEqual(grew, [1, 2, 4], `the new revision grew 1 → 2 → 4 replicas and never shrank back; saw ${grew.join(" → ")}`);
  const walked = versions.flatMap((md) => (md.status?.canary === undefined ? [] : [md.status.canary.weight]));
  assert.deepEqual(walked.filter((w, i) => w !== walked[i - 1]), [25, 50], `status.canary.weight went 25 then 50, never back; saw ${walked.join(", ")}`);
  const firstPromoted = versions.findIndex((md) => md.status?.stable?.revision === canary);
  const after = versions.slice(firstPromoted);
  assert.ok(after.every((md) => md.status?.stable?.revision === canary && md.status.canary === undefined),
    "once promoted, no status version shows the canary again");
  const promotions = (done.status?.history ?? []).filter((h) => h.revision === canary);
  assert.equal(promotions.length, 1, `one history entry for the new revision: ${JSON.stringify(done.status?.history)}`);
});
