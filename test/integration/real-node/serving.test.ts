// A ModelDeployment served by real pods: the operator's pod template runs as built on the real
// node (kubelet + containerd + runc), MLServer loads a model trained in this test from a claim,
// the pod becomes Ready only after the model loaded (the agent's readiness follows the server's),
// and a V2 inference request through the Service (kube-proxy) answers what the model predicts
// in-process. The namespace enforces the restricted Pod Security Standard.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { kubectlOk } from "../../support/cluster.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { waitForMdep } from "../../support/mdep.ts";
import { containerLog, httpOnceWhenRouted, podsOf, predictionsOf, realNode, realNodePlacement, serviceUrl, useRealModel } from "../../support/real-node.ts";

const NAME = "iris";
const fx = useRealModel("real-serving", NAME, { restricted: true });

test("a pvc:// sklearn model becomes Ready on real pods and answers predictions through the Service", async () => {
  const node = await realNode(fx.cluster);
  console.log(`[real-node] ${node.name}: ${node.containerRuntimeVersion}, kubelet ${node.kubeletVersion}`);
  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version: "v1" },
      replicas: 1,
      ...(await realNodePlacement(fx.cluster)),
    },
  };
  const created = Date.now();
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(md));
  const ready = await waitForMdep(fx.cluster, fx.ns, NAME, "Ready", (m) => m.status?.phase === "Ready", 180_000);
  console.log(`[real-node] ModelDeployment Ready ${Date.now() - created} ms after create (readyReplicas ${ready.status?.readyReplicas})`);

  const [pod, ...others] = await podsOf(fx.cluster, fx.ns, `mdo.dev/model-deployment=${NAME}`);
  assert.ok(pod !== undefined && others.length === 0, "one pod");
  assert.equal(pod.spec.nodeName, node.name, "the pod ran on the real node");
  assert.match(pod.status.podIP ?? "", /^198\.18\./, "a bridge address, not a kwok one");
  for (const c of pod.status.containerStatuses ?? []) assert.equal(c.restartCount, 0, `${c.name} never restarted`);

  // Ready only after the model loaded: the Ready condition turned True after MLServer said so.
  const serverLog = await containerLog(fx.cluster, fx.ns, pod.metadata.name, "model-server");
  const loaded = serverLog.split("\n").find((l) => /Loaded model '?iris'? succes/i.test(l));
  assert.ok(loaded !== undefined, `MLServer logged the model load:\n${serverLog}`);
  const loadedAt = Date.parse(loaded.slice(0, loaded.indexOf(" ")));
  const readyAt = Date.parse(pod.status.conditions?.find((c) => c.type === "Ready" && c.status === "True")?.lastTransitionTime ?? "");
  assert.ok(Number.isFinite(loadedAt) && Number.isFinite(readyAt), "both times known");
  // lastTransitionTime has whole seconds; the log has nanoseconds.
  assert.ok(readyAt >= Math.floor(loadedAt / 1000) * 1000, `Ready at ${new Date(readyAt).toISOString()} is not before the model loaded at ${new Date(loadedAt).toISOString()}`);

  const url = await serviceUrl(fx.cluster, fx.ns, NAME);
  assert.match(url, /^http:\/\/198\.19\./, "a ClusterIP of the test cluster's Service CIDR");
  const answer = await httpOnceWhenRouted(`${url}/v2/models/${NAME}/infer`, { body: irisInferenceBody(fx.model.expected.rows) });
  const predictions = predictionsOf(answer);
  console.log(`[real-node] ${url}/v2/models/${NAME}/infer answered ${JSON.stringify(predictions)}; in-process ${JSON.stringify(fx.model.expected.predictions)}`);
  assert.deepEqual(predictions, fx.model.expected.predictions, "the served model answers what it predicted in-process");
});
