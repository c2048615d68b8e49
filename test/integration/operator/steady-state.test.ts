// At steady state the operator writes nothing: 50 Ready ModelDeployments, 60 s, zero API writes.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { minimalMdep, scrape, sumMetric } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

const COUNT = 50;
const WRITE_VERBS = ["APPLY", "PATCH", "POST", "PUT", "DELETE"];
let cluster: TestCluster;
let ns: string;
let operator: TestOperator;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "steady");
  operator = await startTestOperator(cluster, ns);
});
after(async () => {
  await operator.stop();
});

function writes(page: string): number {
  return WRITE_VERBS.reduce((sum, verb) => sum + sumMetric(page, "mdo_api_requests_total", { verb }), 0);
}

test(`${COUNT} Ready ModelDeployments cost no API write for 60 s`, async () => {
  const manifests = Array.from({ length: COUNT }, (_, i) => minimalMdep(`m${i}`, ns)).join("\n");
  await kubectlOk(cluster, ["apply", "-f", "-"], manifests);
  await waitFor(`${COUNT} ModelDeployments Ready`, 180_000, async () => {
    const out = await kubectlOk(cluster, ["get", "mdep", "-n", ns, "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
    return out.split("\n").filter((l) => l === "True").length === COUNT;
  });
  await sleep(5_000); // let the last status writes and their watch events settle
  const before = writes(await scrape(operator.healthAddress));
  await sleep(60_000);
  const page = await scrape(operator.healthAddress);
  const during = writes(page) - before;
  console.log(`API writes in 60 s at steady state with ${COUNT} ModelDeployments: ${during}`);
  assert.equal(during, 0);
});
