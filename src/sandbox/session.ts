import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { load as loadYaml } from "js-yaml";
import type { LocalControlPlane } from "./control-plane.ts";
import { SandboxError } from "./errors.ts";

export const CRD_FILE = "crds/mdo.dev_modeldeployments.yaml";
/** Every CRD the operator serves, ModelDeployment first. */
export const CRD_FILES = [CRD_FILE, "crds/mdo.dev_batchpredictions.yaml"] as const;
export const SANDBOX_EXAMPLE = "examples/sklearn-autoscaling.yaml";
export const SANDBOX_NAMESPACE = "default";

interface ExampleRefs {
  metadata: { name: string };
  spec: { model: { storageSecretRef?: { name: string } }; serving?: { auth?: { apiKeySecretRef?: { name: string; key?: string } } } };
}

/** Applies the CRD in `file` (crds/mdo.dev_<plural>.yaml) and waits until the API server serves it (Established=True). */
export async function installCrd(plane: LocalControlPlane, file: string): Promise<void> {
  const crdName = `${/mdo\.dev_([a-z]+)\.yaml$/.exec(file)?.[1] ?? "modeldeployments"}.mdo.dev`;
  const applied = await plane.kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=mdo-sandbox", "-f", file]);
  if (applied.code !== 0) throw new SandboxError(`kubectl apply -f ${file}: ${applied.stderr.trim()}`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    // Polled rather than `kubectl wait`, which fails while the CRD has no conditions yet.
    const got = await plane.kubectl(["get", "crd", crdName, "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"]);
    if (got.stdout.trim() === "True") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new SandboxError(`The CRD ${crdName} was not Established within 60 s`);
}

/**
 * Prepares a running sandbox for the operator: installs the CRD, creates the Secrets the example
 * refers to (with placeholder values: the sandbox never sees real credentials) and applies the
 * example. Returns the example's name. Failures are SandboxErrors with kubectl's message.
 */
export async function prepareSandbox(plane: LocalControlPlane, repoRoot: string): Promise<string> {
  const ok = async (args: string[], input?: string): Promise<void> => {
    const result = await plane.kubectl(args, input);
    if (result.code !== 0) throw new SandboxError(`kubectl ${args.join(" ")}: ${result.stderr.trim()}`);
  };
  const ssa = ["apply", "--server-side", "--field-manager=mdo-sandbox"];
  for (const file of CRD_FILES) await installCrd(plane, join(repoRoot, file));
  const example = loadYaml(await readFile(join(repoRoot, SANDBOX_EXAMPLE), "utf8")) as ExampleRefs;
  const secrets: Record<string, Record<string, string>> = {};
  const storage = example.spec.model.storageSecretRef?.name;
  if (storage !== undefined) secrets[storage] = { AWS_ACCESS_KEY_ID: "sandbox-placeholder", AWS_SECRET_ACCESS_KEY: "sandbox-placeholder" };
  const auth = example.spec.serving?.auth?.apiKeySecretRef;
  if (auth !== undefined) secrets[auth.name] = { [auth.key ?? "api-key"]: "sandbox-placeholder" };
  for (const [name, data] of Object.entries(secrets)) {
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: SANDBOX_NAMESPACE }, stringData: data };
    await ok([...ssa, "-f", "-"], JSON.stringify(secret));
  }
  await ok([...ssa, "-n", SANDBOX_NAMESPACE, "-f", join(repoRoot, SANDBOX_EXAMPLE)]);
  return example.metadata.name;
}

/** Waits until the example is Ready (the operator must be running). */
export async function waitForExample(plane: LocalControlPlane, name: string, timeoutSeconds = 120): Promise<void> {
  const result = await plane.kubectl(["wait", "--for=condition=Ready", `--timeout=${timeoutSeconds}s`, "-n", SANDBOX_NAMESPACE, `mdep/${name}`]);
  if (result.code !== 0) throw new SandboxError(`ModelDeployment ${name} did not become Ready: ${result.stderr.trim()}`);
}

export function sandboxInstructions(plane: LocalControlPlane, name: string): string {
  const k = `${plane.kubectlPath} --kubeconfig ${plane.kubeconfigPath}`;
  return [
    "",
    `Sandbox ready: kube-apiserver ${plane.state.version} at ${plane.state.apiServerUrl}`,
    `The operator reconciled ${SANDBOX_EXAMPLE} (ModelDeployment ${name} in namespace ${SANDBOX_NAMESPACE}). Look at it with:`,
    `  ${k} get modeldeployments -A`,
    `  ${k} describe mdep ${name}`,
    `  ${k} get deployments,services,hpa,pdb,configmaps,pods -l mdo.dev/model-deployment=${name}`,
    "Pods are simulated by kwok: an image name containing simulate-crashloop, simulate-oom or",
    "simulate-imagepull makes them fail like real ones.",
    "Press Ctrl-C to stop the operator and the sandbox.",
  ].join("\n");
}
