// Generated ModelDeployments for property-based tests: a valid base (the fixtures' manifest or an
// example) with one to three random changes — edge numbers, odd strings, wrong types, removed
// fields, whole new sections. Used against the API server (api/fuzz) and the operator.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { load } from "js-yaml";
import { mutate, REMOVE, VALID_BASE, type Manifest } from "../fixtures/invalid-specs.ts";

const ROOT = join(import.meta.dirname, "..", "..");

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

export interface Case {
  changes: Record<string, unknown>;
  manifest: Manifest;
}

export function arbitraryCase(): fc.Arbitrary<Case> {
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
