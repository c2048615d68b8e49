// The generated CRD against a real API server: it installs and becomes Established, accepts every
// example (applying the same defaults as parseModelDeployment), rejects every invalid fixture
// with a message naming the field and the rule, agrees with parseModelDeployment on payload sink
// URLs, and shows the printer columns.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { load } from "js-yaml";
import { CRD_NAME } from "../../src/api/crd.ts";
import { parseModelDeployment } from "../../src/api/parse.ts";
import { INVALID_SPECS, mutate, VALID_BASE } from "../fixtures/invalid-specs.ts";
import { SINK_URLS } from "../fixtures/sink-urls.ts";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../support/cluster.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const CRD_FILE = join(ROOT, "crds", "mdo.dev_modeldeployments.yaml");
const EXAMPLES = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((file) => ({ file, path: join(ROOT, "examples", file) }));

/** The example's manifest after parseModelDeployment, as JSON (defaults applied, no undefined). */
function parsedExample(path: string): { metadata: { name: string }; spec: unknown } {
  const result = parseModelDeployment(load(readFileSync(path, "utf8")));
  if (!result.ok) throw result.error;
  return JSON.parse(JSON.stringify(result.value)) as { metadata: { name: string }; spec: unknown };
}

describe("ModelDeployment CRD on a real API server", () => {
  let cluster: TestCluster;
  let ns: string;

  before(async () => {
    cluster = await sharedCluster();
    await kubectlOk(cluster, ["apply", "--server-side", "--force-conflicts", "-f", CRD_FILE]);
    await kubectlOk(cluster, ["wait", "--for=condition=Established", `crd/${CRD_NAME}`, "--timeout=60s"]);
    ns = await createNamespace(cluster, "api");
  });

  it("is structural and its names are accepted", async () => {
    const crd = JSON.parse(await kubectlOk(cluster, ["get", "crd", CRD_NAME, "-o", "json"])) as {
      status: { conditions: { type: string; status: string }[]; acceptedNames: { shortNames: string[] } };
    };
    const conditions = Object.fromEntries(crd.status.conditions.map((c) => [c.type, c.status]));
    assert.equal(conditions.Established, "True");
    assert.equal(conditions.NamesAccepted, "True");
    assert.equal(conditions.NonStructuralSchema, undefined, "the schema must be structural");
    assert.deepEqual(crd.status.acceptedNames.shortNames, ["mdep"]);
  });

  for (const { file, path } of EXAMPLES) {
    it(`accepts examples/${file} and applies the same defaults as parseModelDeployment`, async () => {
      await kubectlOk(cluster, ["create", "--dry-run=server", "-n", ns, "-f", path]);
      const created = JSON.parse(await kubectlOk(cluster, ["create", "-n", ns, "-f", path, "-o", "json"])) as {
        spec: unknown;
      };
      assert.deepEqual(created.spec, parsedExample(path).spec);
    });
  }

  it("shows the printer columns, filled from status", async () => {
    const canary = parsedExample(join(ROOT, "examples", "onnx-canary.yaml")).metadata.name;
    const status = {
      observedGeneration: 1,
      phase: "Progressing",
      conditions: [
        { type: "Ready", status: "False", reason: "CanaryInProgress", message: "step 2 of 4", lastTransitionTime: "2025-06-01T10:00:00Z" },
      ],
      replicas: 5,
      readyReplicas: 5,
      selector: `app.kubernetes.io/instance=${canary}`,
      stable: { revision: `${canary}-7d9f`, modelVersion: "2025-05-01", readyReplicas: 4 },
      canary: { revision: `${canary}-5c2a`, modelVersion: "2025-06-01", step: 1, weight: 25, analysis: { failedChecks: 0 } },
      traffic: [
        { revision: `${canary}-7d9f`, desiredWeight: 75, measuredWeight: 76 },
        { revision: `${canary}-5c2a`, desiredWeight: 25, measuredWeight: 24 },
      ],
    };
    await kubectlOk(cluster, [
      "patch", "modeldeployment", canary, "-n", ns, "--subresource=status", "--type=merge",
      "-p", JSON.stringify({ status }),
    ]);
    const table = await kubectlOk(cluster, ["get", "mdep", "-n", ns]);
    const wide = await kubectlOk(cluster, ["get", "mdep", "-n", ns, "-o", "wide"]);
    console.log(`kubectl get mdep:\n${table}\nkubectl get mdep -o wide:\n${wide}`);
    const header = table.split("\n")[0]?.trim().split(/\s+/);
    assert.deepEqual(header, ["NAME", "FORMAT", "VERSION", "PHASE", "READY", "REPLICAS", "CANARY", "AGE"]);
    assert.deepEqual(wide.split("\n")[0]?.trim().split(/\s+/), [
      "NAME", "FORMAT", "VERSION", "PHASE", "READY", "REPLICAS", "CANARY", "URI", "URL", "AGE",
    ]);
    const row = table.split("\n").find((line) => line.startsWith(`${canary} `))?.trim().split(/\s+/);
    assert.deepEqual(row?.slice(0, 7), [canary, "onnx", "2025-05-01", "Progressing", "False", "5", "25"]);
  });

  it("serves the field descriptions to kubectl explain", async () => {
    // The API server publishes a new CRD's OpenAPI a moment after it is Established.
    let text = "";
    await waitFor("the ModelDeployment OpenAPI schema", 30_000, async () => {
      const result = await cluster.kubectl(["explain", "modeldeployments.spec.rollout.steps.pause"]);
      text = result.stdout;
      return result.code === 0;
    });
    assert.match(text.replace(/\s+/g, " "), /the rollout waits here until a person promotes it/);
  });

  it("scales fixed replicas through the scale subresource and refuses to scale an autoscaled one", async () => {
    const fixed = parsedExample(join(ROOT, "examples", "custom-auth-cache.yaml")).metadata.name;
    await kubectlOk(cluster, ["scale", "modeldeployment", fixed, "-n", ns, "--replicas=5"]);
    assert.equal(await kubectlOk(cluster, ["get", "mdep", fixed, "-n", ns, "-o", "jsonpath={.spec.replicas}"]), "5");
    const autoscaled = parsedExample(join(ROOT, "examples", "sklearn-autoscaling.yaml")).metadata.name;
    const refused = await cluster.kubectl(["scale", "modeldeployment", autoscaled, "-n", ns, "--replicas=5"]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /spec\.autoscaling must not be set together with spec\.replicas/);
  });

  it("agrees with parseModelDeployment on every payload sink URL of the fixtures", async (t) => {
    for (const { url, rejectedBy } of SINK_URLS) {
      const manifest = mutate(VALID_BASE, { "spec.serving.payloadLogging": { url } });
      const result = await cluster.kubectl(["create", "--dry-run=server", "-n", ns, "-f", "-"], { input: JSON.stringify(manifest) });
      t.diagnostic(`${JSON.stringify(url)}: ${result.code === 0 ? "accepted" : result.stderr.trim()}`);
      assert.equal(parseModelDeployment(manifest).ok, rejectedBy === undefined, `parseModelDeployment on ${JSON.stringify(url)}`);
      if (rejectedBy === undefined) {
        assert.equal(result.code, 0, `the API server rejected ${JSON.stringify(url)}: ${result.stderr}`);
        continue;
      }
      assert.notEqual(result.code, 0, `the API server accepted ${JSON.stringify(url)}`);
      assert.ok(result.stderr.includes("spec.serving.payloadLogging.url"), result.stderr);
      assert.ok(result.stderr.includes(rejectedBy), `missing "${rejectedBy}" in: ${result.stderr}`);
      for (const other of new Set(SINK_URLS.map((c) => c.rejectedBy))) {
        if (other !== undefined && other !== rejectedBy) assert.ok(!result.stderr.includes(other), `one message per mistake: ${result.stderr}`);
      }
    }
  });

  for (const spec of INVALID_SPECS) {
    it(`rejects: ${spec.name}`, async (t) => {
      const result = await cluster.kubectl(["create", "--dry-run=server", "-n", ns, "-f", "-"], {
        input: JSON.stringify(spec.manifest),
      });
      t.diagnostic(`API server: ${result.stderr.trim()}`);
      assert.notEqual(result.code, 0, "the API server accepted it");
      for (const expected of spec.expect) {
        assert.ok(result.stderr.includes(expected), `missing "${expected}" in: ${result.stderr}`);
      }
    });
  }
});
