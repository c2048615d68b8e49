// Concurrency autoscaling with real pods: the operator reads the real agents' /load at their pod
// IPs on the real node (no address override), and MLServer in each pod serves the iris model
// through a runtime whose every inference takes 200 ms. Six clients keep six requests in flight
// through the Service (kube-proxy): at target 2 the operator asks for 3 replicas at once (panic),
// they start and share the load; when the clients stop, it goes back to 1. No request fails.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { waitForMdep, type MdepView } from "../../support/mdep.ts";
import { eventMessages } from "../../support/rollout.ts";
import { httpOnce, httpOnceWhenRouted, podsOf, predictionsOf, realNodePlacement, serviceUrl, useRealModel } from "../../support/real-node.ts";

const NAME = "iris";
const CLIENTS = 6;
const fx = useRealModel("real-autoscale", NAME, { restricted: true, latencyMs: 200 });

type View = MdepView & { status?: MdepView["status"] & { autoscaling?: { desiredReplicas?: number; observedLoad?: number; panic?: boolean; message?: string } } };

async function readyPodCount(): Promise<number> {
  const pods = await podsOf(fx.cluster, fx.ns, `mdo.dev/model-deployment=${NAME}`);
  return pods.filter((p) => p.metadata.deletionTimestamp === undefined && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
}

async function replicas(): Promise<number> {
  return Number(await kubectlOk(fx.cluster, ["get", "deployments", "-n", fx.ns, "-l", `mdo.dev/model-deployment=${NAME}`, "-o", "jsonpath={.items[0].spec.replicas}"]));
}

test("real agents in real pods drive concurrency autoscaling 1 → 3 → 1 through the Service, no request failing", async () => {
  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version: "v1" },
      autoscaling: { minReplicas: 1, maxReplicas: 3, metric: "concurrency", target: 2, window: "10s", panicWindow: "2s" },
      ...(await realNodePlacement(fx.cluster)),
    },
  };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(md));
  await waitForMdep(fx.cluster, fx.ns, NAME, "Ready", (m) => m.status?.phase === "Ready", 180_000);
  const url = `${await serviceUrl(fx.cluster, fx.ns, NAME)}/v2/models/${NAME}/infer`;
  const body = irisInferenceBody(fx.model.expected.rows);
  const first = await httpOnceWhenRouted(url, { body });
  assert.deepEqual(predictionsOf(first), fx.model.expected.predictions, "served through the slow runtime, same predictions");

  let running = true;
  let ok = 0;
  const failed: string[] = [];
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (running) {
      const answer = await httpOnce(url, { body, timeoutMs: 10_000 }).catch((error: unknown) => ({ status: 0, body: String(error) }));
      if (answer.status === 200) ok++;
      else failed.push(`${answer.status}: ${answer.body.slice(0, 200)}`);
    }
  });
  try {
    const start = Date.now();
    await waitFor("3 replicas asked for", 30_000, async () => (await replicas()) === 3);
    console.log(`[real-node] ${CLIENTS} in flight at target 2: 3 replicas asked for after ${((Date.now() - start) / 1000).toFixed(1)} s`);
    const scaled = (await waitForMdep(fx.cluster, fx.ns, NAME, "status.autoscaling", () => true)) as View;
    assert.equal(scaled.status?.autoscaling?.desiredReplicas, 3);
    assert.ok((scaled.status?.autoscaling?.observedLoad ?? 0) > 0, `the agents' load was read: ${JSON.stringify(scaled.status?.autoscaling)}`);
    await waitFor("3 ready pods", 180_000, async () => (await readyPodCount()) === 3);
    console.log(`[real-node] 3 pods ready ${((Date.now() - start) / 1000).toFixed(1)} s after the load began; ${ok} answers so far`);
  } finally {
    running = false;
    await Promise.all(clients);
  }
  assert.deepEqual(failed.slice(0, 3), [], `every request answered 200 (${ok} ok, ${failed.length} failed)`);
  const stopped = Date.now();
  await waitFor("back to 1 replica", 90_000, async () => (await replicas()) === 1);
  console.log(`[real-node] back to 1 replica ${((Date.now() - stopped) / 1000).toFixed(1)} s after the load stopped`);
  const events = await eventMessages(fx.cluster, fx.ns, NAME, "Scaled");
  // Up in one or two decisions (the panic window's average follows the load), down the same way.
  assert.ok(events.some((m) => /to 3 replicas: panic/.test(m)) && events.some((m) => /to 1 replicas/.test(m)), `Scaled Events up and down: ${events.join(" | ")}`);
});
