// What the dashboard shows of a ModelDeployment: pure views of its spec and status, the JSON the
// page reads. Nothing here is computed that status does not say; absent fields stay absent.
import type { ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";

/** green: Ready; amber: progressing or unknown; red: Degraded, Failed or a Stalled condition. */
export type Health = "healthy" | "progressing" | "unhealthy" | "unknown";

export interface Summary {
  namespace: string;
  name: string;
  phase: string;
  health: Health;
  /** The Ready condition's reason and message, when there is one. */
  reason?: string;
  message?: string;
  stable?: { revision: string; modelVersion?: string };
  canary?: { revision: string; modelVersion?: string; step: number; weight: number };
  traffic: { revision: string; desiredWeight: number; measuredWeight?: number }[];
  readyReplicas?: number;
  replicas?: number;
}

/** A check's bounds from spec.rollout.analysis: the value fails below `min` or above `max`. */
export interface Threshold {
  min?: number;
  max?: number;
}

export interface Detail extends Summary {
  strategy?: string;
  /** The canary steps' weights (spec.rollout.steps). */
  steps: number[];
  thresholds: Record<string, Threshold>;
  status: NonNullable<ModelDeploymentObject["status"]> | Record<string, never>;
  /** Where drift compares against: the baseline ConfigMap the spec names. */
  baseline?: { configMapName: string; key: string };
}

const UNHEALTHY_PHASES = new Set(["Degraded", "Failed"]);

/** Health from conditions first (Ready, Stalled), then the phase. */
export function healthOf(md: ModelDeploymentObject): Health {
  const conditions = md.status?.conditions ?? [];
  const of = (type: string) => conditions.find((c) => c.type === type);
  if (of("Stalled")?.status === "True" || UNHEALTHY_PHASES.has(md.status?.phase ?? "")) return "unhealthy";
  const ready = of("Ready");
  if (ready?.status === "True") return "healthy";
  if (ready === undefined && md.status?.phase === undefined) return "unknown";
  return "progressing";
}

export function summaryOf(md: ModelDeploymentObject): Summary {
  const status = md.status;
  const ready = status?.conditions?.find((c) => c.type === "Ready");
  return {
    namespace: md.metadata?.namespace ?? "",
    name: md.metadata?.name ?? "",
    phase: status?.phase ?? "Unknown",
    health: healthOf(md),
    ...(ready?.reason !== undefined && { reason: ready.reason }),
    ...(ready?.message !== undefined && { message: ready.message }),
    ...(status?.stable !== undefined && { stable: { revision: status.stable.revision, ...(status.stable.modelVersion !== undefined && { modelVersion: status.stable.modelVersion }) } }),
    ...(status?.canary !== undefined && {
      canary: { revision: status.canary.revision, step: status.canary.step, weight: status.canary.weight, ...(status.canary.modelVersion !== undefined && { modelVersion: status.canary.modelVersion }) },
    }),
    traffic: (status?.traffic ?? []).map((t) => ({ ...t })),
    ...(status?.readyReplicas !== undefined && { readyReplicas: status.readyReplicas }),
    ...(status?.replicas !== undefined && { replicas: status.replicas }),
  };
}

/** Each analysis check's bounds, by the name status.canary.analysis.checks gives it. */
export function thresholdsOf(md: ModelDeploymentObject): Record<string, Threshold> {
  const analysis = md.spec.rollout?.analysis;
  const thresholds: Record<string, Threshold> = {};
  if (analysis === undefined) return thresholds;
  if (analysis.successRate !== undefined) thresholds.successRate = { min: analysis.successRate.min };
  if (analysis.latencyP99 !== undefined) thresholds.latencyP99 = { max: analysis.latencyP99.maxMs };
  for (const m of analysis.metrics ?? []) {
    thresholds[m.name] = { ...(m.min !== undefined && { min: m.min }), ...(m.max !== undefined && { max: m.max }) };
  }
  return thresholds;
}

export function detailOf(md: ModelDeploymentObject): Detail {
  const rollout = md.spec.rollout;
  const baselineRef = md.spec.monitoring?.drift?.baselineRef;
  return {
    ...summaryOf(md),
    ...(rollout?.strategy !== undefined && { strategy: rollout.strategy }),
    steps: (rollout?.steps ?? []).map((s) => s.weight),
    thresholds: thresholdsOf(md),
    status: md.status ?? {},
    ...(baselineRef !== undefined && { baseline: { configMapName: baselineRef.configMapName, key: baselineRef.key ?? "baseline.json" } }),
  };
}
