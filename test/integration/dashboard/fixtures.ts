// What the dashboard test puts in the cluster: ModelDeployments whose status is written through the
// status subresource (as the operator writes it, no operator running), a kwok pod standing for the
// stable revision's pod, and a real agent whose drift window that pod's address is mapped to.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { kubectlOk, waitFor, type TestCluster } from "../../support/cluster.ts";
import { mdepWithRollout } from "../../support/rollout.ts";

export const STEPS = [20, 50, 80];
export const SUCCESS_MIN = 0.99;
export const LATENCY_MAX_MS = 500;

const condition = (status: string, reason: string, message: string) => ({
  type: "Ready", status, reason, message, lastTransitionTime: "2026-12-04T10:00:00Z",
});

export function canaryManifest(name: string, ns: string, baselineConfigMap: string): string {
  return mdepWithRollout(name, ns, {
    strategy: "Canary", steps: STEPS.map((weight) => ({ weight })),
    analysis: { interval: "30s", successRate: { min: SUCCESS_MIN }, latencyP99: { maxMs: LATENCY_MAX_MS } },
  }, { spec: { monitoring: { drift: { baselineRef: { configMapName: baselineConfigMap }, window: 200, minWindow: 200 } } } });
}

/** The status of a canary at `step`, its last interval analysed at `evaluatedAt`. */
export function canaryStatus(name: string, step: number, evaluatedAt: string, successRate: number, latencyMs: number): Record<string, unknown> {
  const weight = STEPS[step] ?? 0;
  const stable = "7d4f9c";
  const canary = "5b8e21";
  const pass = successRate >= SUCCESS_MIN;
  return {
    phase: "Progressing",
    conditions: [condition("False", "RolloutInProgress", `Canary ${canary} at step ${step}`)],
    replicas: 2, readyReplicas: 2,
    stable: { revision: stable, modelVersion: "v1", readyReplicas: 1 },
    canary: {
      revision: canary, modelVersion: "v2", step, weight, stepStartedAt: evaluatedAt,
      analysis: {
        successRate, latencyP99Ms: latencyMs, failedChecks: pass ? 0 : 1, evaluatedAt,
        checks: [
          { name: "successRate", status: pass ? "pass" : "fail", value: successRate, reason: pass ? "SuccessRateAboveMin" : "SuccessRateBelowMin", message: `success rate ${successRate} vs min ${SUCCESS_MIN}` },
          { name: "latencyP99", status: "pass", value: latencyMs, reason: "LatencyBelowMax", message: `p99 ${latencyMs} ms vs max ${LATENCY_MAX_MS} ms` },
        ],
      },
    },
    traffic: [{ revision: stable, desiredWeight: 100 - weight }, { revision: canary, desiredWeight: weight }],
    rollout: {
      phase: "Progressing", stable: { revision: stable, modelVersion: "v1" }, canary: { revision: canary, modelVersion: "v2" },
      step, weight, pausedByPerson: false, analysis: { failedChecks: pass ? 0 : 1, passedThisStep: pass },
      acknowledged: {}, reason: "StepInProgress", message: `Holding step ${step} at ${weight}%`,
    },
    drift: {
      revision: stable, evaluatedAt, window: 200, maxPSI: 0.8,
      features: [{ name: "petal_length", psi: 0.8, pValue: 1e-12 }, { name: "sepal_length", psi: 0.01, pValue: 0.6 }],
    },
  };
}

export function readyStatus(): Record<string, unknown> {
  return { phase: "Ready", conditions: [condition("True", "Available", "All replicas ready")], replicas: 1, readyReplicas: 1 };
}

export function degradedStatus(): Record<string, unknown> {
  return { phase: "Degraded", conditions: [condition("False", "PodsCrashing", "Pods crash")], lastFailure: { reason: "PodsCrashing", message: "Pods crash", time: "2026-12-04T10:00:00Z" } };
}

export async function writeStatus(cluster: TestCluster, ns: string, name: string, status: Record<string, unknown>): Promise<void> {
  await kubectlOk(cluster, ["patch", "mdep", name, "-n", ns, "--subresource=status", "--type=merge", "-p", JSON.stringify({ status })]);
}

/** A pod of `revision` that kwok runs and reports Ready with an IP; resolves once it is. */
export async function revisionPod(cluster: TestCluster, ns: string, name: string, revision: string): Promise<void> {
  const pod = {
    apiVersion: "v1", kind: "Pod",
    metadata: { name: `${name}-${revision}`, namespace: ns, labels: { "mdo.dev/model-deployment": name, "mdo.dev/revision": revision } },
    spec: { containers: [{ name: "model", image: "registry.example/model-server:1.0" }] },
  };
  await kubectlOk(cluster, ["apply", "-f", "-"], JSON.stringify(pod));
  await waitFor(`pod ${name}-${revision} Ready`, 60_000, async () => {
    const out = await kubectlOk(cluster, ["get", "pod", `${name}-${revision}`, "-n", ns, "-o", "jsonpath={.status.podIP} {.status.conditions[?(@.type==\"Ready\")].status}"]);
    return /^\S+ True$/.test(out.trim());
  });
}

/** Where screenshots go: under the test's directory, and under $MDO_ARTIFACTS_DIR/dashboard when set. */
export async function screenshotDirs(testDir: string): Promise<string[]> {
  const dirs = [join(testDir, "screenshots")];
  const artifacts = process.env.MDO_ARTIFACTS_DIR;
  if (artifacts !== undefined && artifacts !== "") dirs.push(join(artifacts, "dashboard"));
  for (const d of dirs) await mkdir(d, { recursive: true });
  return dirs;
}

export async function saveScreenshot(dirs: readonly string[], name: string, png: Uint8Array): Promise<void> {
  for (const d of dirs) await writeFile(join(d, name), png);
}
