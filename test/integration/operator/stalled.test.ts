// Specs the operator cannot serve are Stalled with a reason that says what to change, an Event
// is recorded, and the controller does not hot-loop on them; fixing the cause recovers.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { kubectlOk } from "../../support/cluster.ts";
import { condition, minimalMdep, scrape, sumMetric, waitForMdep } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";

const fx = useTestOperator("stalled");

async function eventReasons(name: string): Promise<string[]> {
  const out = await kubectlOk(fx.cluster, ["get", "events", "-n", fx.ns, "--field-selector", `involvedObject.name=${name}`, "-o", "jsonpath={.items[*].reason}"]);
  return out.split(/\s+/).filter(Boolean);
}

test("a missing Secret stalls the ModelDeployment without a hot loop, and creating it recovers", async () => {
  const manifest = JSON.parse(minimalMdep("nosecret", fx.ns)) as { spec: { model: Record<string, unknown> } };
  manifest.spec.model.storageSecretRef = { name: "model-store-creds" };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(manifest));
  const stalled = await waitForMdep(fx.cluster, fx.ns, "nosecret", "Stalled", (md) => condition(md, "Stalled")?.status === "True");
  const c = condition(stalled, "Stalled")!;
  assert.equal(c.reason, "SecretNotFound");
  assert.match(c.message ?? "", /model-store-creds/);
  assert.equal(condition(stalled, "Ready")?.status, "False");
  assert.ok((await eventReasons("nosecret")).includes("SecretNotFound"), "an Event names the reason");

  const before = sumMetric(await scrape(fx.operator.healthAddress), "mdo_reconcile_total");
  await sleep(30_000);
  const reconciles = sumMetric(await scrape(fx.operator.healthAddress), "mdo_reconcile_total") - before;
  console.log(`reconciles of a stalled ModelDeployment over 30 s: ${reconciles}`);
  assert.ok(reconciles <= 3, `no hot loop: ${reconciles} reconciles in 30 s`);

  await kubectlOk(fx.cluster, ["create", "secret", "generic", "model-store-creds", "-n", fx.ns, "--from-literal=AWS_ACCESS_KEY_ID=placeholder"]);
  await waitForMdep(fx.cluster, fx.ns, "nosecret", "Ready after the Secret exists", (md) => condition(md, "Ready")?.status === "True", 60_000);
});

test("a pvc:// model whose claim does not exist is Stalled, and creating the claim lets it continue", async () => {
  const manifest = JSON.parse(minimalMdep("noclaim", fx.ns)) as { spec: { model: Record<string, unknown> } };
  manifest.spec.model.uri = "pvc://model-store/iris/v1";
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(manifest));
  const stalled = await waitForMdep(fx.cluster, fx.ns, "noclaim", "Stalled", (md) => condition(md, "Stalled")?.status === "True");
  assert.equal(condition(stalled, "Stalled")?.reason, "PersistentVolumeClaimNotFound");
  assert.match(condition(stalled, "Stalled")?.message ?? "", /model-store/);
  const claim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "model-store", namespace: fx.ns }, spec: { accessModes: ["ReadOnlyMany"], resources: { requests: { storage: "1Gi" } } } };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(claim));
  await waitForMdep(fx.cluster, fx.ns, "noclaim", "no longer stalled on the claim", (md) => condition(md, "Stalled")?.reason !== "PersistentVolumeClaimNotFound", 60_000);
  assert.equal((await kubectlOk(fx.cluster, ["get", "deployments", "-n", fx.ns, "-l", "mdo.dev/model-deployment=noclaim", "-o", "name"])).trim().split("\n").length, 1, "its Deployment was created");
});

test("an unknown runtime is Stalled with the catalog's names in the message", async () => {
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], minimalMdep("badruntime", fx.ns, { runtime: "no-such-runtime" }));
  const stalled = await waitForMdep(fx.cluster, fx.ns, "badruntime", "Stalled", (md) => condition(md, "Stalled")?.status === "True");
  const c = condition(stalled, "Stalled")!;
  assert.equal(c.reason, "UnknownRuntime");
  assert.match(c.message ?? "", /mlserver/);
  assert.ok((await eventReasons("badruntime")).includes("UnknownRuntime"));
  const before = sumMetric(await scrape(fx.operator.healthAddress), "mdo_reconcile_total");
  await sleep(10_000);
  const reconciles = sumMetric(await scrape(fx.operator.healthAddress), "mdo_reconcile_total") - before;
  assert.ok(reconciles <= 1, `no retries for a configuration error: ${reconciles} reconciles in 10 s`);

  await kubectlOk(fx.cluster, ["patch", "mdep", "badruntime", "-n", fx.ns, "--type=merge", "-p", '{"spec":{"model":{"runtime":"mlserver"}}}']);
  await waitForMdep(fx.cluster, fx.ns, "badruntime", "Ready with a known runtime", (md) => condition(md, "Ready")?.status === "True");
});
