// Property-based: generated ModelDeployments (a valid base with 1 to 3 random changes: edge numbers,
// odd strings, wrong types, removed fields, extra sections) sent to the real API server with a
// server-side dry run. The API server's verdict (CRD schema + CEL) must equal parseModelDeployment's
// (zod) for every one. The seed is printed; MDO_FUZZ_SEED replays a run, MDO_FUZZ_RUNS sizes it.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { before, test } from "node:test";
import fc from "fast-check";
import { parseModelDeployment } from "../../../src/api/parse.ts";
import { CRD_NAME } from "../../../src/api/crd.ts";
import { MODEL_DEPLOYMENTS } from "../../../src/controllers/modeldeployment/resource.ts";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import { KubeClient, type KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { resourcePath } from "../../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { REMOVE, type Manifest } from "../../fixtures/invalid-specs.ts";
import { arbitraryCase } from "../../support/spec-fuzz.ts";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const RUNS = Number(process.env.MDO_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.MDO_FUZZ_SEED ?? Date.now() % 2 ** 31);

let cluster: TestCluster;
let ns: string;
let client: KubeClient;

before(async () => {
  cluster = await sharedCluster();
  await kubectlOk(cluster, ["apply", "--server-side", "--force-conflicts", "-f", join(ROOT, "crds", "mdo.dev_modeldeployments.yaml")]);
  await kubectlOk(cluster, ["wait", "--for=condition=Established", `crd/${CRD_NAME}`, "--timeout=60s"]);
  ns = await createNamespace(cluster, "fuzz");
  client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: cluster.kubeconfigPath })));
});

/** The API server's verdict: accepted, or the rejection's message. */
async function apiVerdict(manifest: Manifest): Promise<{ ok: true } | { ok: false; message: string }> {
  const object = { ...manifest, metadata: { ...(manifest.metadata as object), namespace: ns } } as KubeObject;
  try {
    // A create, not an apply: server-side apply answers 500 for a value of the wrong type. Field
    // validation Strict, as kubectl and Argo CD send it: unknown fields are refused (as zod does)
    // rather than pruned with a warning.
    await client.transport.request({ verb: "POST", path: resourcePath(MODEL_DEPLOYMENTS, ns), query: { dryRun: "All", fieldValidation: "Strict" }, body: object });
    return { ok: true };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 422 || error.status === 400)) return { ok: false, message: error.message };
    throw error;
  }
}

test(`${RUNS} generated specs: the API server accepts exactly those parseModelDeployment accepts (seed ${SEED})`, async () => {
  console.log(`[fuzz] seed ${SEED}, ${RUNS} runs (replay: MDO_FUZZ_SEED=${SEED})`);
  const cases = fc.sample(arbitraryCase(), { numRuns: RUNS, seed: SEED });
  const disagreements: string[] = [];
  let accepted = 0;
  for (const [i, c] of cases.entries()) {
    const zod = parseModelDeployment(c.manifest);
    const api = await apiVerdict(c.manifest);
    if (api.ok) accepted++;
    if (zod.ok !== api.ok) {
      disagreements.push(`#${i} ${JSON.stringify(c.changes, (_k, v: unknown) => (v === REMOVE ? "<removed>" : v))}: ` +
        `API ${api.ok ? "accepts" : `refuses (${api.message.slice(0, 300)})`}, zod ${zod.ok ? "accepts" : `refuses (${zod.error.message.slice(0, 300)})`}`);
    }
  }
  console.log(`[fuzz] ${accepted} of ${cases.length} accepted by the API server; ${disagreements.length} disagreements`);
  for (const d of disagreements.slice(0, 30)) console.log(`[fuzz] ${d}`);
  assert.deepEqual(disagreements, [], `CEL and zod disagree (seed ${SEED})`);
});
