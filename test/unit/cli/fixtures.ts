// A ModelDeployment in the middle of a canary rollout, as the API server returns it, with its two
// revisions' Deployments: the input of the view tests. NOW is the time of the view.
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeploymentObject } from "../../../src/controllers/modeldeployment/resource.ts";

export const NOW = new Date("2026-03-01T12:00:00Z");
const at = (secondsBefore: number): string => new Date(NOW.getTime() - secondsBefore * 1000).toISOString().replace(".000Z", "Z");

export function canaryMd(): ModelDeploymentObject {
  return {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment",
    metadata: { name: "fraud", namespace: "ml", uid: "u-1", generation: 3 },
    spec: {
      model: { uri: "s3://models/fraud/v2", format: "sklearn", version: "v2", digest: `sha256:${"ab12".repeat(16)}` },
      replicas: 4,
      rollout: {
        strategy: "Canary", progressDeadline: "10m",
        steps: [{ weight: 25, pause: "5m" }, { weight: 50 }],
        analysis: { interval: "1m", provider: "agent", failureLimit: 1, successRate: { min: 0.99 }, latencyP99: { maxMs: 250 }, drift: { falseAlarmRate: 0.01, minWindow: 200 } },
      },
    } as ModelDeploymentObject["spec"],
    status: {
      observedGeneration: 3, phase: "Progressing", url: "http://fraud.ml.svc.cluster.local", replicas: 4, readyReplicas: 4,
      stable: { revision: "aaaa111111", modelVersion: "v1", readyReplicas: 3 },
      canary: {
        revision: "bbbb222222", modelVersion: "v2", step: 0, weight: 25, stepStartedAt: at(90),
        analysis: {
          failedChecks: 0, evaluatedAt: at(20), successRate: 0.997, latencyP99Ms: 180,
          checks: [
            { name: "successRate", status: "pass", value: 0.997, reason: "SuccessRateAboveMin", message: "success rate 0.997 ≥ 0.99" },
            { name: "latencyP99", status: "pass", value: 180, reason: "LatencyBelowMax", message: "p99 180ms ≤ 250ms" },
            { name: "drift", status: "noData", reason: "WindowTooSmall", message: "120 rows < minWindow 200" },
          ],
        },
      },
      traffic: [{ revision: "aaaa111111", desiredWeight: 75, measuredWeight: 75 }, { revision: "bbbb222222", desiredWeight: 25, measuredWeight: 25 }],
      drift: {
        revision: "aaaa111111", evaluatedAt: at(45), window: 800, maxPSI: 0.41,
        features: [
          { name: "amount", psi: 0.41, pValue: 1.2e-9 }, { name: "hour", psi: 0.08, pValue: 0.02 }, { name: "country", psi: 0.31, pValue: 0.0004 },
          { name: "device", psi: 0.01 }, { name: "merchant", psi: 0.02, pValue: 0.9 }, { name: "age", psi: 0.005, pValue: 0.99 },
        ],
      },
      lastFailure: { reason: "ContainerCrashLooping", message: "pod fraud-aaaa111111-x: model-server restarted 3 times", time: at(600) },
      rollout: {
        phase: "Progressing", stable: { revision: "aaaa111111", modelVersion: "v1" }, canary: { revision: "bbbb222222", modelVersion: "v2" },
        previous: { revision: "cccc333333", modelVersion: "v0" },
        step: 0, weight: 25, stepStartedAt: at(90), pausedByPerson: false,
        analysis: { nextAt: new Date(NOW.getTime() + 40_000).toISOString(), failedChecks: 0, passedThisStep: true },
        acknowledged: {}, reason: "Pausing", message: "holding step 1 at 25% until 2026-03-01T12:03:30.000Z",
      },
      conditions: [
        { type: "Reconciling", status: "True", lastTransitionTime: at(90), reason: "RolloutInProgress", message: "step 1 of 2 at 25%" },
        { type: "Ready", status: "False", lastTransitionTime: at(90), reason: "RolloutInProgress", message: "rolling out v2" },
        { type: "DataDrift", status: "True", lastTransitionTime: at(45), reason: "DriftDetected", message: "amount, country" },
      ],
    },
  };
}

export function deployment(revision: string, version: string, replicas: number, ready: number, digest?: string): V1Deployment {
  return {
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: {
      name: `fraud-${revision}`, namespace: "ml",
      labels: { "mdo.dev/model-deployment": "fraud", "mdo.dev/revision": revision, "mdo.dev/model-version": version },
      ownerReferences: [{ apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", name: "fraud", uid: "u-1", controller: true }],
    },
    spec: {
      replicas, selector: {},
      template: { spec: { containers: [], initContainers: [{ name: "model-fetcher", args: ["fetch", "--uri=s3://x", ...(digest === undefined ? [] : [`--digest=${digest}`])] }] } },
    },
    status: { readyReplicas: ready, updatedReplicas: replicas },
  };
}

export function canaryDeployments(): V1Deployment[] {
  return [
    deployment("bbbb222222", "v2", 1, 1, `sha256:${"ab12".repeat(16)}`),
    deployment("cccc333333", "v0", 0, 0),
    deployment("aaaa111111", "v1", 3, 3, `sha256:${"9f0e".repeat(16)}`),
  ];
}
