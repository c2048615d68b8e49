// The operator's /healthz, /readyz and /metrics answer as docs/metrics.md documents.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { createNamespace, sharedCluster } from "../../support/cluster.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import { waitFor } from "../../support/cluster.ts";

let operator: TestOperator;

before(async () => {
  const cluster = await sharedCluster();
  operator = await startTestOperator(cluster, await createNamespace(cluster, "endpoints"));
});
after(async () => {
  await operator.stop();
});

test("/healthz answers ok, /readyz once caches synced, /metrics in Prometheus text format", async () => {
  const base = `http://${operator.healthAddress}`;
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  await waitFor("/readyz 200", 30_000, async () => (await fetch(`${base}/readyz`)).status === 200);
  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get("content-type") ?? "", /text\/plain/);
  const text = await metrics.text();
  for (const name of ["mdo_reconcile_total", "mdo_reconcile_duration_seconds", "mdo_workqueue_depth", "mdo_workqueue_retries_total",
    "mdo_workqueue_longest_running_processor_seconds", "mdo_informer_restarts_total", "mdo_api_requests_total", "mdo_leader"]) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), `${name} is exported`);
  }
  assert.match(text, /mdo_api_requests_total\{verb="LIST",code="200"\} \d+/);
  assert.equal((await fetch(`${base}/nope`)).status, 404);
});
