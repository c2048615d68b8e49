// At steady state the operator writes nothing: 50 Ready ModelDeployments, 60 s, zero API writes.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { minimalMdep, scrape, sumMetric } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";

const COUNT = 50;
const WRITE_VERBS = ["APPLY", "PATCH", "POST", "PUT", "DELETE"];
const fx = useTestOperator("steady");

function writes(page: string): number {
  return WRITE_VERBS.reduce((sum, verb) => sum + sumMetric(page, "mdo_api_requests_total", { verb }), 0);
}

test(`${COUNT} Ready ModelDeployments cost no API write for 60 s`, async () => {
  const manifests = Array.from({ length: COUNT }, (_, i) => minimalMdep(`m${i}`, fx.ns)).join("\n");
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], manifests);
  await waitFor(`${COUNT} ModelDeployments Ready`, 180_000, async () => {
    const out = await kubectlOk(fx.cluster, ["get", "mdep", "-n", fx.ns, "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"]);
    return out.split("\n").filter((l) => l === "True").length === COUNT;
  });
  await sleep(5_000); // let the last status writes and their watch events settle
  const before = writes(await scrape(fx.operator.healthAddress));
  await sleep(60_000);
  const page = await scrape(fx.operator.healthAddress);
  const during = writes(page) - before;
  console.log(`API writes in 60 s at steady state with ${COUNT} ModelDeployments: ${during}`);
  assert.equal(during, 0);
});
