// Per-feature drift as the detail page draws it: the baseline's bins and proportions (from the
// baseline ConfigMap) beside the live window's pooled counts (from the agents), with the test
// results status keeps. Pure.
import type { Baseline, BaselineFeature } from "../drift/baseline.ts";
import type { ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import type { LiveCounts } from "./live-drift.ts";

export interface FeatureHistograms {
  name: string;
  kind: BaselineFeature["kind"];
  /** Bin labels in the baseline's order: "< e₁", "[e₁, e₂)", …, "≥ eₘ", or the categories. */
  bins: string[];
  /** The baseline's share of each bin (sums to 1). */
  baseline: number[];
  /** The live window's count per bin, pooled over the pods; absent when no agent reported it. */
  live?: number[];
  /** From status.drift (or its prediction entry), when the operator tested this feature. */
  psi?: number;
  pValue?: number;
  prediction?: boolean;
}

export interface DriftView {
  revision?: string;
  evaluatedAt?: string;
  /** Rows status.drift compared; the live counts may be of a newer window. */
  statusWindow?: number;
  live: { pods: number; reporting: number; windowSamples: number; errors: string[] };
  features: FeatureHistograms[];
  /** Why something is missing (no baseline, no agents): shown as is. */
  notes: string[];
}

export function binLabels(feature: BaselineFeature): string[] {
  if (feature.kind === "categorical") return [...feature.categories];
  const e = feature.edges.map((x) => Number(x.toPrecision(4)));
  if (e.length === 0) return ["all"];
  return [`< ${e[0]}`, ...e.slice(1).map((x, i) => `[${e[i]}, ${x})`), `≥ ${e.at(-1)}`];
}

/** The histograms of every baseline feature (and the prediction profile), most drifted first by PSI. */
export function driftViewOf(md: ModelDeploymentObject, baseline: Baseline | undefined, live: LiveCounts | undefined, notes: string[]): DriftView {
  const drift = md.status?.drift;
  const tested = new Map((drift?.features ?? []).map((f) => [f.name, f]));
  const view = (feature: BaselineFeature, prediction: boolean): FeatureHistograms => {
    const status = prediction ? drift?.prediction : tested.get(feature.name);
    const counts = live?.features.get(feature.name);
    return {
      name: feature.name,
      kind: feature.kind,
      bins: binLabels(feature),
      baseline: [...feature.proportions],
      ...(counts !== undefined && counts.length === feature.proportions.length && { live: counts }),
      ...(status?.psi !== undefined && { psi: status.psi }),
      ...(status?.pValue !== undefined && { pValue: status.pValue }),
      ...(prediction && { prediction }),
    };
  };
  const features = baseline === undefined ? [] : [
    ...baseline.features.map((f) => view(f, false)),
    ...(baseline.prediction === undefined ? [] : [view(baseline.prediction, true)]),
  ];
  features.sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1));
  return {
    ...(drift?.revision !== undefined && { revision: drift.revision }),
    ...(drift?.evaluatedAt !== undefined && { evaluatedAt: drift.evaluatedAt }),
    ...(drift?.window !== undefined && { statusWindow: drift.window }),
    live: { pods: live?.pods ?? 0, reporting: live?.reporting ?? 0, windowSamples: live?.windowSamples ?? 0, errors: live?.errors ?? [] },
    features,
    notes,
  };
}
