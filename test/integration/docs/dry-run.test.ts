// The ModelDeployments and BatchPredictions written in README.md and docs/*.md (spec fragments
// wrapped as test/unit/docs/doc-files.ts does) are admitted by the real API server with the CRDs
// installed: a server-side dry-run create of each. examples/ are covered already: the top-level
// ones by test/integration/api.test.ts, examples/batch by test/integration/batch/controller.test.ts.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { ROOT, docManifests } from "../../unit/docs/doc-files.ts";

const CRDS = ["mdo.dev_modeldeployments.yaml", "mdo.dev_batchpredictions.yaml"];

describe("manifests in the docs on a real API server", () => {
  let cluster: TestCluster;
  let ns: string;
  const manifests = docManifests();

  before(async () => {
    cluster = await sharedCluster();
    for (const crd of CRDS) await kubectlOk(cluster, ["apply", "--server-side", "--force-conflicts", "-f", join(ROOT, "crds", crd)]);
    await kubectlOk(cluster, ["wait", "--for=condition=Established", "crd/modeldeployments.mdo.dev", "crd/batchpredictions.mdo.dev", "--timeout=60s"]);
    ns = await createNamespace(cluster, "docs");
  });

  for (const m of manifests) {
    it(`${m.where}: the API server admits the ${m.kind}`, async () => {
      const result = await cluster.kubectl(["create", "--dry-run=server", "-n", ns, "-f", "-"], { input: JSON.stringify(m.object) });
      assert.equal(result.code, 0, result.stderr);
    });
  }

  it("refuses the README's example with a placeholder digest (the check can fail)", async () => {
    const readme = manifests.find((m) => m.where.startsWith("README.md:"));
    assert.ok(readme);
    const object = structuredClone(readme.object);
    (object.spec as { model: { digest?: string } }).model.digest = "sha256:…";
    const result = await cluster.kubectl(["create", "--dry-run=server", "-n", ns, "-f", "-"], { input: JSON.stringify(object) });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /spec\.model\.digest/);
  });
});
