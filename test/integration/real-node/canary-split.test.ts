// A Canary rollout on real pods with the Replicas router: while the canary holds one of four
// replicas, requests through the shared Service (kube-proxy picks an endpoint per connection) are
// split in proportion to ready replicas. The split is measured from the agents' own request
// counters, scraped from each pod at its bridge address, not from status.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk } from "../../support/cluster.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { sumMetric, waitForMdep, type MdepView } from "../../support/mdep.ts";
import type { RolloutMdepView } from "../../support/rollout.ts";
import { httpOnce, podsOf, predictionsOf, realNodePlacement, serviceUrl, useRealModel } from "../../support/real-node.ts";

const NAME = "split";
const REPLICAS = 4;
const REQUESTS = 400;
const fx = useRealModel("real-canary", NAME);

/** mdo_agent_requests_total of inference routes, per pod, from each agent's metrics port. */
async function agentRequestCounts(): Promise<Map<string, { revision: string; count: number }>> {
  const counts = new Map<string, { revision: string; count: number }>();
  for (const pod of await podsOf(fx.cluster, fx.ns, `mdo.dev/model-deployment=${NAME}`)) {
    // A terminating pod (the stable revision's fourth, scaled away for the canary) serves nobody
    // new; after its 5 s drain its address stops answering altogether.
    if (pod.status.podIP === undefined || pod.metadata.deletionTimestamp !== undefined) continue;
    const page = await httpOnce(`http://${pod.status.podIP}:9090/metrics`);
    assert.equal(page.status, 200, `metrics of ${pod.metadata.name}`);
    counts.set(pod.metadata.name, {
      revision: pod.metadata.labels?.["mdo.dev/revision"] ?? "",
      count: sumMetric(page.body, "mdo_agent_requests_total", { route: "infer" }),
    });
  }
  return counts;
}

test("requests through the Service follow the ready replicas of stable and canary (3:1)", async () => {
  const placement = await realNodePlacement(fx.cluster);
  const md = (version: string): string => JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version },
      replicas: REPLICAS,
      rollout: { strategy: "Canary", steps: [{ weight: 25 }] },
      ...placement,
    },
  });
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], md("v1"));
  await waitForMdep(fx.cluster, fx.ns, NAME, "Ready on v1", (m) => m.status?.phase === "Ready" && m.status.readyReplicas === REPLICAS, 240_000);
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], md("v2"));
  const view = (m: MdepView): RolloutMdepView => m;
  const waiting = view(await waitForMdep(fx.cluster, fx.ns, NAME, "canary at 25% with every replica ready", (m) =>
    view(m).status?.rollout?.reason === "WaitingForPromotion" && m.status?.readyReplicas === REPLICAS, 240_000));
  const canary = waiting.status?.canary?.revision ?? "";
  assert.notEqual(canary, "");

  const selector = await kubectlOk(fx.cluster, ["get", "service", NAME, "-n", fx.ns, "-o", "jsonpath={.spec.selector}"]);
  const endpoints = await kubectlOk(fx.cluster, ["get", "endpointslices", "-n", fx.ns, "-l", `kubernetes.io/service-name=${NAME}`, "-o", "jsonpath={range .items[*].endpoints[*]}{.targetRef.name}={.conditions.ready} {end}"]);
  console.log(`[real-node] Service ${NAME} selects ${selector}; endpoints ${endpoints}`);
  const before = await agentRequestCounts();
  const url = `${await serviceUrl(fx.cluster, fx.ns, NAME)}/v2/models/${NAME}/infer`;
  for (let i = 0; i < REQUESTS; i++) {
    assert.deepEqual(predictionsOf(await httpOnce(url, { body: irisInferenceBody(fx.model.expected.rows) })), fx.model.expected.predictions);
  }
  const afterCounts = await agentRequestCounts();

  const perPod = [...afterCounts].map(([pod, { revision, count }]) => ({ pod, revision, served: count - (before.get(pod)?.count ?? 0) }));
  const served = perPod.reduce((sum, p) => sum + p.served, 0);
  const toCanary = perPod.filter((p) => p.revision === canary).reduce((sum, p) => sum + p.served, 0);
  const share = toCanary / served;
  console.log(`[real-node] ${served} requests through the Service: canary ${toCanary} (${(share * 100).toFixed(1)}%), per pod ${JSON.stringify(perPod)}`);
  assert.equal(served, REQUESTS, "every request was counted by exactly one agent");
  assert.equal(perPod.filter((p) => p.revision === canary).length, 1, "one canary pod");
  assert.equal(perPod.length, REPLICAS, "three stable pods and one canary pod");
  for (const p of perPod) assert.ok(p.served > 0, `${p.pod} served some requests`);
  // Binomial(400, 0.25): standard deviation 8.7 requests; ±30 is about 3.5 deviations.
  assert.ok(Math.abs(toCanary - REQUESTS / 4) <= 30, `canary share ${share.toFixed(3)} is within 0.25 ± 0.075`);
});
