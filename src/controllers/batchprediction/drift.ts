// The drift verdict of a run: the shards tested their own rows against the baseline (each
// feature's χ² p-value, as live drift does); a feature drifted when its p-value is below
// falseAlarmRate / (features × tested shards) in some shard (and its PSI is at least minPsi), so
// the chance of any false alarm per run stays at most falseAlarmRate (Bonferroni). Pure.
import type { V1Job } from "@kubernetes/client-node";
import { z } from "zod";
import type { BatchPredictionStatus, BatchShardResult } from "../../api/index.ts";
import { decideDrift, type FeatureEvidence } from "../../drift/index.ts";
import { ANNOTATION_DRIFT_TEST } from "./labels.ts";

const DriftTest = z.object({ falseAlarmRate: z.number().gt(0).max(1), minWindow: z.int().min(0), minPsi: z.number().min(0) });
const MAX_LISTED = 32;

export type BatchDrift = NonNullable<BatchPredictionStatus["drift"]>;

/** The run's drift, once a shard reported some; undefined when its Job tests none. */
export function runDrift(job: V1Job, results: readonly BatchShardResult[]): BatchDrift | undefined {
  const annotation = job.metadata?.annotations?.[ANNOTATION_DRIFT_TEST];
  if (annotation === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return undefined;
  }
  const test = DriftTest.safeParse(parsed);
  if (!test.success) return undefined;
  const reported = results.filter((r) => r.drift !== undefined);
  const tested = reported.filter((r) => (r.drift?.rows ?? 0) >= test.data.minWindow);
  const rows = tested.reduce((sum, r) => sum + (r.drift?.rows ?? 0), 0);
  const features = Math.max(...tested.map((r) => r.drift?.features.length ?? 0), 0);
  if (tested.length === 0) {
    const message = reported.length === 0
      ? "No shard has reported yet"
      : `No finished shard has the ${test.data.minWindow} rows (spec.monitoring.drift.minWindow) a test needs`;
    return { rows, shardsTested: 0, drifted: [], message };
  }
  const evidence: (FeatureEvidence & { shard: number })[] = tested.flatMap((r) => (r.drift?.features ?? []).map((f) => ({
    name: f.name, pValue: f.pValue, psi: f.psi, samples: r.drift?.rows ?? 0, shard: r.index,
  })));
  const decision = decideDrift(evidence, rows, { falseAlarmRate: test.data.falseAlarmRate, minWindow: 0, minPsi: test.data.minPsi, tests: features * tested.length });
  if (!decision.decided) return { rows, shardsTested: tested.length, drifted: [], message: decision.reason };
  const drifted = (decision.drifted as (FeatureEvidence & { shard: number })[]).slice(0, MAX_LISTED)
    .map((f) => ({ name: f.name, shard: f.shard, pValue: f.pValue ?? 0, psi: f.psi }));
  const names = [...new Set(drifted.map((f) => f.name))];
  const message = names.length === 0
    ? `No feature drifted in ${tested.length} shard(s), ${rows} rows (threshold p < ${decision.threshold.toPrecision(3)})`
    : `${names.length} feature(s) drifted from the baseline: ${names.slice(0, 8).join(", ")}${names.length > 8 ? ", …" : ""}`;
  return { rows, shardsTested: tested.length, threshold: decision.threshold, drifted, message };
}
