// ModelDeployment statuses in every phase the operator sets, each computed by the operator's own
// computeStatus from an observation like the reconcile makes, with the health Flux (kstatus) and
// Argo CD (deploy/argocd/health.lua) should give it. RollingBack is absent: no code sets it.
import type { ModelDeploymentStatus, Phase } from "../../../src/api/index.ts";
import { computeStatus, type Observation } from "../../../src/controllers/modeldeployment/status/index.ts";
import {
  at, crashLoop, deadlineExceeded, deployment, observe, pod, readyPods, running, stableStatus, waiting,
} from "../../unit/status/fixtures.ts";

export type Kstatus = "Current" | "InProgress" | "Failed";
export type ArgoHealth = "Healthy" | "Progressing" | "Degraded" | "Suspended";

export interface MdCase {
  name: string;
  /** metadata.generation the object must have: the spec is changed generation - 1 times. */
  generation: number;
  suspend: boolean;
  status: ModelDeploymentStatus;
  phase: Phase;
  kstatus: Kstatus;
  argo: ArgoHealth;
}

/** Generation 2 asks for rev2 (model v8) while rev1 (v7) was stable. */
const gen2 = (o: Partial<Observation>): Observation => observe({ generation: 2, revision: "rev2", modelVersion: "v8", now: at(1), ...o });
const crashing = (name: string, revision = "rev1") => pod(name, revision, { containers: [crashLoop(), running("agent")] });
const unschedulable = pod("fraud-rev1-a", "rev1", {
  phase: "Pending", containers: [], initContainers: [],
  conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient memory." }],
});
const pulling = (reason: string) => pod("fraud-rev1-a", "rev1", { containers: [waiting("model-server", reason, "pull access denied"), running("agent")] });
const stalledProblem = { kind: "Stalled" as const, reason: "SecretNotFound", message: 'Secret "s3-creds" named by spec.model.storageSecretRef does not exist; create it' };
const rolledBack = {
  kind: "Stalled" as const, reason: "AnalysisFailed",
  message: "revision rev2 was rolled back (success rate 0.91 under 0.99); revision rev1 serves all traffic. Change the spec, or set the annotation mdo.dev/retry to a new value to try again",
};
const transient = { kind: "Transient" as const, reason: "ApplyFailed", message: "the server is currently unable to handle the request" };
const serving = { deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) };

function md(name: string, obs: Observation, previous: ModelDeploymentStatus | undefined, expect: Omit<MdCase, "name" | "generation" | "suspend" | "status">): MdCase {
  return { name, generation: obs.generation, suspend: obs.suspended, status: computeStatus(obs, previous), ...expect };
}

export function modelDeploymentCases(): MdCase[] {
  return [
    md("new, no Deployment yet", observe(), undefined, { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    md("pods starting", observe({ deployments: [deployment("rev1", { target: 2, replicas: 2, ready: 0 })], pods: [pod("fraud-rev1-0", "rev1", { containers: [running("model-server", false, at(-1)), running("agent", false, at(-1))] })] }), undefined,
      { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    md("unschedulable pod (capacity may come)", observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [unschedulable] }), undefined,
      { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    md("ErrImagePull, not yet backing off", observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [pulling("ErrImagePull")] }), undefined,
      { phase: "Pending", kstatus: "InProgress", argo: "Progressing" }),
    md("rolled out", observe(serving), undefined, { phase: "Ready", kstatus: "Current", argo: "Healthy" }),
    md("spec.replicas 0, scaled down", observe({ spec: { ...observe().spec, replicas: 0 }, deployments: [deployment("rev1", { ready: 0 })] }), undefined,
      { phase: "Ready", kstatus: "Current", argo: "Healthy" }),
    md("new generation rolling out beside the stable one", gen2({ deployments: [deployment("rev1", { ready: 2 }), deployment("rev2", { target: 2, replicas: 1, ready: 0 })] }), stableStatus(),
      { phase: "Progressing", kstatus: "InProgress", argo: "Progressing" }),
    md("canary rollout at a step", gen2({
      ...serving,
      deployments: [deployment("rev1", { ready: 2 }), deployment("rev2", { ready: 1 })],
      rolloutProgress: { reason: "RollingOut", message: "Canary rollout of revision rev2, step 2 of 4 at 25%: analysing (StepStarted)" },
    }), stableStatus(), { phase: "Progressing", kstatus: "InProgress", argo: "Progressing" }),
    md("scaling the stable revision", observe({ generation: 2, spec: { ...observe().spec, replicas: 4 }, now: at(1), deployments: [deployment("rev1", { target: 4, replicas: 4, ready: 3 })] }), stableStatus(),
      { phase: "Progressing", kstatus: "InProgress", argo: "Progressing" }),
    md("transient API error, retried", observe({ ...serving, problem: transient, now: at(1) }), stableStatus(),
      { phase: "Progressing", kstatus: "InProgress", argo: "Progressing" }),
    md("crash-looping pod beside a ready one", observe({ now: at(1), deployments: [deployment("rev1", { replicas: 2, ready: 1 })], pods: [...readyPods("rev1", 1), crashing("fraud-rev1-a")] }), stableStatus(),
      { phase: "Degraded", kstatus: "Failed", argo: "Degraded" }),
    md("Stalled problem while the old revision serves", gen2({ ...serving, problem: stalledProblem }), stableStatus(),
      { phase: "Degraded", kstatus: "Failed", argo: "Degraded" }),
    md("canary rolled back, stable serves", gen2({ ...serving, problem: rolledBack }), stableStatus(),
      { phase: "Degraded", kstatus: "Failed", argo: "Degraded" }),
    md("progress deadline exceeded, one replica serves", observe({ deployments: [deployment("rev1", { replicas: 2, ready: 1, conditions: [deadlineExceeded] })], pods: readyPods("rev1", 1) }), undefined,
      { phase: "Degraded", kstatus: "Failed", argo: "Degraded" }),
    // The one disagreement: an older revision's failing pod makes the phase Degraded (Argo CD),
    // but the current revision is still rolling out (Reconciling=True), so kstatus waits.
    md("old revision's pod failing while the new one rolls out", gen2({
      deployments: [deployment("rev1", { replicas: 1, ready: 0, target: 0 }), deployment("rev2", { replicas: 2, ready: 1 })],
      pods: [crashing("fraud-rev1-a"), ...readyPods("rev2", 1)],
    }), stableStatus(), { phase: "Degraded", kstatus: "InProgress", argo: "Degraded" }),
    md("every pod crash-looping", observe({ deployments: [deployment("rev1", { replicas: 2, ready: 0 })], pods: [crashing("fraud-rev1-a"), crashing("fraud-rev1-b")] }), undefined,
      { phase: "Failed", kstatus: "Failed", argo: "Degraded" }),
    md("ImagePullBackOff", observe({ deployments: [deployment("rev1", { replicas: 1, ready: 0 })], pods: [pulling("ImagePullBackOff")] }), undefined,
      { phase: "Failed", kstatus: "Failed", argo: "Degraded" }),
    md("Stalled problem, nothing serves", observe({ problem: stalledProblem }), undefined, { phase: "Failed", kstatus: "Failed", argo: "Degraded" }),
    md("suspended, rolled out", observe({ ...serving, suspended: true }), undefined, { phase: "Suspended", kstatus: "Current", argo: "Suspended" }),
    md("suspended mid-roll", observe({ suspended: true }), undefined, { phase: "Suspended", kstatus: "InProgress", argo: "Suspended" }),
  ];
}
