// Property-based: generated ModelDeployments (a valid base with 1 to 3 random changes: edge numbers,
// odd strings, wrong types, removed fields, extra sections) sent to the real API server with a
// server-side dry run. The API server's verdict (CRD schema + CEL) must equal parseModelDeployment's
// (zod) for every one. The seed is printed; MDO_FUZZ_SEED replays a run, MDO_FUZZ_RUNS sizes it.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import fc from "fast-check";
import { load } from "js-yaml";
import { parseModelDeployment } from "../../../src/api/parse.ts";
import { CRD_NAME } from "../../../src/api/crd.ts";
import { MODEL_DEPLOYMENTS } from "../../../src/controllers/modeldeployment/resource.ts";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import { KubeClient, type KubeObject } from "../../../src/runtime/client/kube-client.ts";
import { resourcePath } from "../../../src/runtime/client/resource.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { mutate, REMOVE, VALID_BASE, type Manifest } from "../../fixtures/invalid-specs.ts";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const RUNS = Number(process.env.MDO_FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.MDO_FUZZ_SEED ?? Date.now() % 2 ** 31);

/** The bases: the fixtures' valid manifest and every example. */
const BASES: Manifest[] = [
  VALID_BASE,
  ...["onnx-canary.yaml", "sklearn-autoscaling.yaml", "custom-auth-cache.yaml", "xgboost-drift-retrain.yaml"]
    .map((file) => load(readFileSync(join(ROOT, "examples", file), "utf8")) as Manifest),
];

/** Every path to a value in `value` (objects and array items), as mutate() reads them. */
function paths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => [`${prefix}[${i}]`, ...paths(item, `${prefix}[${i}]`)]);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = prefix === "" ? k : `${prefix}.${k}`;
    return [path, ...paths(v, path)];
  });
}

/** Sections a spec may gain whole: the newer and the rule-heavy ones. */
const SECTIONS: Record<string, unknown>[] = [
  { "spec.rollout.shadow": { duration: "30s", sampleRate: 0.5, comparison: { mode: "Numeric", absoluteTolerance: 0.1 } } },
  { "spec.rollout.analysis.agreement": { min: 0.9, minRows: 10 } },
  { "spec.monitoring.groundTruth": { kind: "Classification", minAccuracy: 0.8 } },
  { "spec.rollout.analysis.groundTruth": { minAccuracy: 0.8 } },
  { "spec.serving.payloadLogging": { url: "http://sink.ml.svc:8080/logs", sampleRate: 0.1 } },
  { "spec.autoscaling": { minReplicas: 0, maxReplicas: 3, targetRequestsPerSecond: 10 } },
  { "spec.rollout.strategy": "BlueGreen" },
  { "spec.rollout.strategy": "Rolling" },
];

const edgeValue = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1, 2, 0.5, 1.5, 10, 100, 101, 1e6, 1e12, -0.001, 0.000001),
  fc.constantFrom<unknown>("", "a", "A", "1", "0s", "1s", "10s", "1m", "24h", "25h", "1.5s", "100ms", "abc", "-1", "s3://b/k",
    "pvc://c/p", "http://x", "https://x.y/z", "Label", "Exact", "Numeric", "Canary", "x".repeat(64), "x".repeat(300)),
  fc.constantFrom<unknown>(true, false, [], {}, [1], ["a"], { a: 1 }),
  fc.constant<unknown>(REMOVE),
);

/** Whether every parent of `path` in `manifest` is an object or array (or absent: mutate creates it). */
function reachable(manifest: Manifest, path: string): boolean {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
  let node: unknown = manifest;
  for (const key of keys.slice(0, -1)) {
    if (node === undefined) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node === undefined || (node !== null && typeof node === "object");
}

interface Case {
  changes: Record<string, unknown>;
  manifest: Manifest;
}

function arbitraryCase(): fc.Arbitrary<Case> {
  return fc.integer({ min: 0, max: BASES.length - 1 }).chain((b) => {
    const base = BASES[b]!;
    const all = paths(base).filter((p) => p.startsWith("spec."));
    const change = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...all), edgeValue).map(([path, value]) => ({ [path]: value })) },
      { weight: 1, arbitrary: fc.constantFrom(...SECTIONS) },
    );
    return fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => {
      let manifest = structuredClone(base);
      const applied: Record<string, unknown> = {};
      for (const [path, value] of changes.flatMap((c) => Object.entries(c))) {
        // A later change under a path an earlier one made a scalar has nowhere to go: skipped.
        if (!reachable(manifest, path)) continue;
        manifest = mutate(manifest, { [path]: value });
        applied[path] = value;
      }
      manifest.metadata = { name: "fuzz" };
      return { changes: applied, manifest };
    });
  });
}

let cluster: TestCluster;
let ns: string;
let client: KubeClient;

before(async () => {
  cluster = await sharedCluster();
  await kubectlOk(cluster, ["apply", "--server-side", "--force-conflicts", "-f", join(ROOT, "crds", "mdo.dev_modeldeployments.yaml")]);
  await kubectlOk(cluster, ["wait", "--for=condition=Established", `crd/${CRD_NAME}`, "--timeout=60s"]);
  ns = await createNamespace(cluster, "fuzz");
  client = new KubeClient(new KubeTransport(cluster.kubeConfig));
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
