// The JSON view of `mdo get -o json` and `mdo list -o json`: a stable, documented shape
// (docs/cli.md) that scripts may rely on. Fields are only ever added; absent means unknown or
// not applicable. Times are RFC 3339 strings, weights percents, ratios 0 to 1.
import { z } from "zod";

export const VIEW_API_VERSION = "cli.mdo.dev/v1alpha1";

export const REVISION_ROLES = ["stable", "canary", "previous", "retiring", "old"] as const;
export const GATE_KINDS = ["none", "readiness", "analysis", "pause", "promotion", "resume", "retry", "webhooks", "other"] as const;
const VERDICTS = ["pass", "fail", "noData"] as const;

const time = z.string().describe("RFC 3339 time.");
const percent = z.int().min(0).max(100);

export const RevisionView = z.object({
  revision: z.string().describe("The revision (hash of what shapes the pods)."),
  role: z.enum(REVISION_ROLES).describe("What the revision is to the rollout: stable serves, canary is rolled out, previous is kept for a drift rollback, retiring waits for its scale-down delay, old is on its way out."),
  modelVersion: z.string().optional(),
  digest: z.string().optional().describe("spec.model.digest the revision's pods verify, in full."),
  replicas: z.object({ desired: z.int().min(0), ready: z.int().min(0), updated: z.int().min(0) }),
  traffic: z.object({ desiredWeight: percent, measuredWeight: percent.optional() }).optional().describe("From status.traffic; measuredWeight is the share of ready pods."),
});
export type RevisionView = z.output<typeof RevisionView>;

export const GateView = z.object({
  kind: z.enum(GATE_KINDS).describe("What the rollout waits for now."),
  detail: z.string().describe("The same, for people (a command to run, a revision, a time)."),
  until: time.optional().describe("When a timed pause ends."),
});

export const RolloutView = z.object({
  strategy: z.enum(["Canary", "BlueGreen", "Rolling"]),
  phase: z.string().describe("status.rollout.phase: Stable, Progressing, Promoting or RolledBack."),
  step: z.int().min(0).describe("Current step, from 0."),
  steps: z.int().min(0).describe("Number of canary steps (0 for other strategies)."),
  weight: percent.describe("Percent of traffic the new revision should get now."),
  shadowing: z.boolean(),
  stepStartedAt: time.optional(),
  stepPause: z.string().optional().describe("The current step's pause from the spec; absent for a step that waits for a person."),
  pausedByPerson: z.boolean(),
  gate: GateView,
  reason: z.string(),
  message: z.string(),
  analysis: z.object({
    nextAt: time.optional(),
    failedIntervals: z.int().min(0),
    failureLimit: z.int().min(0).optional(),
  }).optional(),
});
export type RolloutView = z.output<typeof RolloutView>;

export const CheckView = z.object({
  name: z.string(),
  status: z.enum(VERDICTS),
  value: z.number().optional(),
  threshold: z.object({ min: z.number().optional(), max: z.number().optional() }).describe("From spec.rollout.analysis; empty when the spec names none for the check."),
  reason: z.string(),
  message: z.string(),
});
export type CheckView = z.output<typeof CheckView>;

export const IntervalView = z.object({
  revision: z.string().optional().describe("The revision analysed."),
  evaluatedAt: time.optional(),
  status: z.enum(VERDICTS).describe("fail if any check failed, else noData if any had none, else pass."),
  checks: z.array(CheckView),
});
export type IntervalView = z.output<typeof IntervalView>;

export const DriftView = z.object({
  revision: z.string().optional(),
  evaluatedAt: time,
  window: z.int().min(0).describe("Rows compared with the baseline."),
  maxPSI: z.number().min(0),
  features: z.array(z.object({
    name: z.string(),
    psi: z.number().min(0).describe("Population Stability Index: the effect size."),
    pValue: z.number().min(0).max(1).optional().describe("p-value of the feature's χ² homogeneity test."),
  })).describe("The most drifted features, largest PSI first (at most 5)."),
  driftedFeatures: z.int().min(0).describe("Features in status.drift (the operator keeps up to 64)."),
  prediction: z.object({ name: z.string(), psi: z.number().min(0), pValue: z.number().min(0).max(1).optional() }).optional(),
});
export type DriftView = z.output<typeof DriftView>;

export const ConditionView = z.object({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: time,
});

export const ModelDeploymentView = z.object({
  apiVersion: z.literal(VIEW_API_VERSION),
  kind: z.literal("ModelDeploymentView"),
  observedAt: time.describe("When the view was made (relative times in the text are from here)."),
  name: z.string(),
  namespace: z.string(),
  phase: z.string().optional(),
  url: z.string().optional(),
  generation: z.int().min(0),
  observedGeneration: z.int().min(0).optional(),
  replicas: z.object({ desired: z.int().min(0), ready: z.int().min(0) }),
  revisions: z.array(RevisionView).describe("Stable first, then the canary, then the others."),
  rollout: RolloutView,
  analysis: z.object({
    intervals: z.array(IntervalView).describe("Analysed intervals, newest first: the last one from status, earlier ones only as `--watch` saw them."),
  }),
  drift: DriftView.optional(),
  lastFailure: z.object({ reason: z.string(), message: z.string(), time }).optional(),
  conditions: z.array(ConditionView),
});
export type ModelDeploymentView = z.output<typeof ModelDeploymentView>;

export const ListRowView = z.object({
  name: z.string(),
  namespace: z.string(),
  phase: z.string().optional(),
  stable: z.object({ revision: z.string(), modelVersion: z.string().optional() }).optional(),
  canary: z.object({ revision: z.string(), modelVersion: z.string().optional(), step: z.int().min(0), weight: percent }).optional(),
  replicas: z.object({ desired: z.int().min(0), ready: z.int().min(0) }),
  drift: z.boolean().optional().describe("The DataDrift condition is True."),
  reason: z.string().optional().describe("The Ready condition's reason."),
  createdAt: time.optional(),
});
export type ListRowView = z.output<typeof ListRowView>;

export const ModelDeploymentListView = z.object({
  apiVersion: z.literal(VIEW_API_VERSION),
  kind: z.literal("ModelDeploymentListView"),
  observedAt: time,
  items: z.array(ListRowView),
});
export type ModelDeploymentListView = z.output<typeof ModelDeploymentListView>;
