// deploy/ (the kustomize base) is the chart's current default output, and `kubectl kustomize
// deploy/` renders exactly the chart's objects plus the mdo-system Namespace.
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { loadAll } from "js-yaml";
import { DEPLOY_RELEASE, renderedFiles } from "../../../scripts/render-deploy.ts";
import { kubectlOk, sharedCluster } from "../../support/cluster.ts";
import { helmPath, renderChart } from "../../support/helm.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
type Obj = { kind: string; metadata: { name: string; namespace?: string } };
const key = (o: Obj): string => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

test("deploy/mdo.yaml and the chart's generated files are up to date", async () => {
  for (const file of await renderedFiles({ helm: await helmPath() })) {
    assert.equal(await readFile(file.path, "utf8"), file.content, `${file.path} is stale: run \`npx node scripts/render-deploy.ts\``);
  }
});

test("kubectl kustomize deploy/ renders the chart's default objects and the Namespace", async () => {
  const cluster = await sharedCluster();
  const kustomized = (loadAll(await kubectlOk(cluster, ["kustomize", join(ROOT, "deploy")])) as Obj[]).filter(Boolean);
  const chart = (await renderChart(DEPLOY_RELEASE.name, DEPLOY_RELEASE.namespace)) as unknown as Obj[];
  const byKey = new Map(kustomized.map((o) => [key(o), o]));
  assert.equal(byKey.size, chart.length + 1);
  for (const object of chart) assert.deepEqual(byKey.get(key(object)), object, key(object));
  const namespace = byKey.get(`Namespace//${DEPLOY_RELEASE.namespace}`) as unknown as { metadata: { labels: Record<string, string> } };
  assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
});
