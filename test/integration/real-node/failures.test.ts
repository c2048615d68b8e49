// Real containers failing on the real node, and what the ModelDeployment says about them: a
// broken model file (MLServer cannot load it and exits), a model server whose memory limit is
// below what it needs (the kernel OOM-kills it), an image no registry has (the pull fails at
// once: every registry points at a closed loopback port), and a server that runs but never
// serves the model the probe asks for (the agent's readiness probe keeps failing). None may ever
// report Ready, and each names the container and the runtime's own reason and words in
// status.lastFailure. The four run at once, each in its own ModelDeployment; the operator's
// model load timeout is 20 s here (10 min by default).
import { strict as assert } from "node:assert";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { condition, getMdep, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import { breakModel, hostPathClaim, realNodePlacement, trainIris, type TrainedIris } from "../../support/real-node.ts";

let cluster: TestCluster;
let ns: string;
let operator: TestOperator;
const models: TrainedIris[] = [];
const volumes: (() => Promise<void>)[] = [];

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "real-failures");
  operator = await startTestOperator(cluster, ns, { modelLoadTimeout: "20" });
});

after(async () => {
  await operator?.stop();
  await cluster?.kubectl(["delete", "namespace", ns, "--wait=false"]);
  for (const remove of volumes) await remove();
  for (const model of models) await model.remove();
});

/** A one-replica sklearn ModelDeployment on the real node whose model is a fresh trained iris (or a broken one). */
async function apply(name: string, spec: Record<string, unknown>, options: { broken?: boolean; servedAs?: string } = {}): Promise<void> {
  const model = await trainIris(name);
  models.push(model);
  if (options.broken === true) await breakModel(model);
  if (options.servedAs !== undefined) {
    // MLServer then serves the model under another name, and /v2/models/<name>/ready stays 404.
    const file = join(model.hostDir, model.path, "model-settings.json");
    const settings = JSON.parse(await readFile(file, "utf8")) as { name: string };
    await writeFile(file, JSON.stringify({ ...settings, name: options.servedAs }));
  }
  volumes.push(await hostPathClaim(cluster, ns, `${name}-models`, model.hostDir));
  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name, namespace: ns },
    spec: { model: { uri: `pvc://${name}-models/${model.path}`, format: "sklearn", version: "v1" }, replicas: 1, ...(await realNodePlacement(cluster)), ...spec },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(md));
}

/** Waits for lastFailure with `reason`, checking on every look that the ModelDeployment never said Ready. */
let started = Date.now();

async function failedWith(name: string, reasons: readonly string[], timeoutMs = 180_000): Promise<MdepView> {
  const md = await waitForMdep(cluster, ns, name, `lastFailure ${reasons.join(" or ")}`, (m) => {
    assert.notEqual(condition(m, "Ready")?.status, "True", `${name} never reports Ready: ${JSON.stringify(m.status)}`);
    return reasons.includes(m.status?.lastFailure?.reason ?? "");
  }, timeoutMs);
  console.log(`[real-node] ${name} after ${Math.round((Date.now() - started) / 1000)} s: phase ${md.status?.phase}, lastFailure ${md.status?.lastFailure?.reason}: ${md.status?.lastFailure?.message}`);
  return md;
}

test("broken model, too little memory, a missing image and a failing probe each end not Ready, with the container's reason in lastFailure", async () => {
  const training = Date.now();
  await Promise.all([
    apply("broken", {}, { broken: true }),
    apply("small", { resources: { requests: { cpu: "50m", memory: "24Mi" }, limits: { memory: "24Mi" } } }),
    apply("noimage", { image: "docker.io/mdo-test/does-not-exist:1.0" }),
    apply("unready", {}, { servedAs: "someone-else" }),
  ]);
  console.log(`[real-node] four models trained and applied in ${Math.round((Date.now() - training) / 1000)} s`);

  started = Date.now();
  const [broken, small, noImage, unready] = await Promise.all([
    failedWith("broken", ["CrashLoopBackOff"]),
    failedWith("small", ["OOMKilled"]),
    failedWith("noimage", ["ErrImagePull", "ImagePullBackOff"]),
    failedWith("unready", ["ModelNotLoaded"]),
  ]);

  // MLServer exits when its model does not load; the kubelet restarts it and backs off.
  assert.match(broken.status?.lastFailure?.message ?? "", /container model-server/);
  // It exits 0, so there is no termination message: the operator quotes the run's error lines.
  assert.match(broken.status?.lastFailure?.message ?? "", /last exit code 0 \(Completed\): .*Some of the models failed to load.*Error: /);
  assert.equal(condition(broken, "Stalled")?.status, "True", "a crash loop is persistent: Stalled");
  // The kernel's OOM killer, reported by the kubelet as the container's termination reason.
  assert.match(small.status?.lastFailure?.message ?? "", /container model-server was OOMKilled \(memory limit 24Mi\)/);
  // The pull failed against the closed loopback registry: the kubelet's words are in the message.
  assert.match(noImage.status?.lastFailure?.message ?? "", /container model-server: (ErrImagePull|ImagePullBackOff): .*does-not-exist/);

  // The kubelet's readiness probe of the agent fails (the server does not serve this model): the
  // containers run, never restart, and status says which one is unready and where to look.
  assert.match(unready.status?.lastFailure?.message ?? "", /container agent has not become ready within 20s of starting: the model has not loaded; see `kubectl logs/);
  assert.equal(unready.status?.readyReplicas ?? 0, 0);

  const again = await getMdep(cluster, ns, "noimage");
  await waitForMdep(cluster, ns, "noimage", "ImagePullBackOff: Stalled", (m) => m.status?.lastFailure?.reason === "ImagePullBackOff" && condition(m, "Stalled")?.status === "True", 120_000);
  assert.notEqual(condition(again, "Ready")?.status, "True");
});
