// The sandbox with a real node: a model trained at start is served by real pods, and the user
// gets one curl command whose answer is a real prediction.
import { join } from "node:path";
import type { LocalControlPlane } from "./control-plane.ts";
import { SandboxError } from "./errors.ts";
import { hostPathClaimObjects, trainIrisModel, v2InferenceBody, type TrainedModel } from "./iris-model.ts";
import { REAL_NODE_NAME, REAL_NODE_SELECTOR, REAL_NODE_TOLERATION } from "./real-node/identity.ts";
import { CRD_FILES, installCrd, SANDBOX_NAMESPACE } from "./session.ts";

/** The ModelDeployment (and MLServer model name) of the real-node sandbox. */
export const REAL_SANDBOX_NAME = "iris";
const CLAIM = "iris-model";

export interface RealSandbox {
  name: string;
  namespace: string;
  model: TrainedModel;
}

/** The sandbox's ModelDeployment: the trained model from the claim, one replica on the real node. Pure. */
export function realSandboxManifest(model: TrainedModel): object {
  return {
    apiVersion: "mdo.dev/v1alpha1",
    kind: "ModelDeployment",
    metadata: { name: REAL_SANDBOX_NAME, namespace: SANDBOX_NAMESPACE },
    spec: {
      model: { uri: `pvc://${CLAIM}/${model.path}`, format: "sklearn", version: "v1" },
      replicas: 1,
      // Less than the runtime's default (1 CPU, 2Gi): the sandbox runs on a laptop-sized node.
      resources: { requests: { cpu: "100m", memory: "256Mi" } },
      nodeSelector: { ...REAL_NODE_SELECTOR },
      tolerations: [{ ...REAL_NODE_TOLERATION }],
    },
  };
}

/**
 * Installs the CRD, trains the iris model into the sandbox directory, makes it a claim on the
 * real node and applies the ModelDeployment. Failures are SandboxErrors with kubectl's words.
 */
export async function prepareRealSandbox(plane: LocalControlPlane, repoRoot: string): Promise<RealSandbox> {
  for (const file of CRD_FILES) await installCrd(plane, join(repoRoot, file));
  const model = await trainIrisModel(join(plane.state.dir, "models"), REAL_SANDBOX_NAME);
  const volume = `${SANDBOX_NAMESPACE}-${CLAIM}`;
  const items = [
    ...hostPathClaimObjects({ namespace: SANDBOX_NAMESPACE, claim: CLAIM, volume, hostDir: model.root, node: REAL_NODE_NAME }),
    realSandboxManifest(model),
  ];
  const applied = await plane.kubectl(["apply", "--server-side", "--field-manager=mdo-sandbox", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  if (applied.code !== 0) throw new SandboxError(`kubectl apply of the sandbox model: ${applied.stderr.trim()}`);
  return { name: REAL_SANDBOX_NAME, namespace: SANDBOX_NAMESPACE, model };
}

/** The inference URL of the sandbox model through its Service's ClusterIP (kube-proxy on this host). */
export async function inferenceUrl(plane: LocalControlPlane, sandbox: RealSandbox): Promise<string> {
  const got = await plane.kubectl(["get", "service", sandbox.name, "-n", sandbox.namespace, "-o", "jsonpath={.spec.clusterIP}"]);
  if (got.code !== 0 || got.stdout.trim() === "") throw new SandboxError(`No ClusterIP for Service ${sandbox.name}: ${got.stderr.trim()}`);
  return `http://${got.stdout.trim()}/v2/models/${sandbox.name}/infer`;
}

/** Asks the served model once, as the printed curl does; the class predictions it answered. */
export async function predictOnce(url: string, sandbox: RealSandbox, signal?: AbortSignal): Promise<number[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(v2InferenceBody(sandbox.model.expected.rows)),
    signal: signal ?? AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new SandboxError(`${url} answered ${res.status}: ${text}`);
  const data = (JSON.parse(text) as { outputs?: { data?: number[] }[] }).outputs?.[0]?.data;
  if (data === undefined) throw new SandboxError(`${url} answered without outputs: ${text}`);
  return data;
}

/** What to run next: the curl command, the answer to expect, and kubectl commands to look around. */
export function realSandboxInstructions(plane: LocalControlPlane, sandbox: RealSandbox, url: string, answered: number[]): string {
  const k = `${plane.kubectlPath} --kubeconfig ${plane.kubeconfigPath}`;
  const body = JSON.stringify(v2InferenceBody(sandbox.model.expected.rows));
  const names = sandbox.model.expected.classNames;
  return [
    "",
    `Sandbox ready: kube-apiserver ${plane.state.version} at ${plane.state.apiServerUrl}, real node ${REAL_NODE_NAME} beside kwok`,
    `ModelDeployment ${sandbox.name} (namespace ${sandbox.namespace}) serves a scikit-learn iris classifier trained at start,`,
    `from real pods (MLServer behind the MDO agent). Ask it for a prediction:`,
    "",
    `  curl -s ${url} -H 'content-type: application/json' -d '${body}'`,
    "",
    `It just answered ${JSON.stringify(answered)} (${answered.map((c) => names[c] ?? c).join(", ")}), as the model predicted in-process.`,
    "Look at it with:",
    `  ${k} get modeldeployments -A`,
    `  ${k} describe mdep ${sandbox.name}`,
    `  ${k} get pods -o wide -l mdo.dev/model-deployment=${sandbox.name}`,
    `  ${k} logs -l mdo.dev/model-deployment=${sandbox.name} -c model-server`,
    "Press Ctrl-C to stop the operator and the sandbox.",
  ].join("\n");
}
