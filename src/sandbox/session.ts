import { join } from "node:path";
import type { LocalControlPlane } from "./control-plane.ts";
import { SandboxError } from "./errors.ts";

export const CRD_FILE = "crds/mdo.dev_modeldeployments.yaml";
export const SANDBOX_EXAMPLE = "examples/sklearn-autoscaling.yaml";

/**
 * Installs the CRD and one example ModelDeployment into a running sandbox, prints how to look
 * at it, then waits for `stop`. Failures to install are SandboxErrors with kubectl's message.
 */
export async function runSandbox(plane: LocalControlPlane, repoRoot: string, stop: Promise<void>): Promise<void> {
  const ok = async (args: string[]): Promise<void> => {
    const result = await plane.kubectl(args);
    if (result.code !== 0) throw new SandboxError(`kubectl ${args.join(" ")}: ${result.stderr.trim()}`);
  };
  await ok(["apply", "--server-side", "--field-manager=mdo-sandbox", "-f", join(repoRoot, CRD_FILE)]);
  await ok(["wait", "--for=condition=Established", "--timeout=60s", "crd/modeldeployments.mdo.dev"]);
  await ok(["apply", "--server-side", "--field-manager=mdo-sandbox", "-n", "default", "-f", join(repoRoot, SANDBOX_EXAMPLE)]);
  const k = `${plane.kubectlPath} --kubeconfig ${plane.kubeconfigPath}`;
  console.log([
    "",
    `Sandbox ready: kube-apiserver ${plane.state.version} at ${plane.state.apiServerUrl}`,
    `Applied ${SANDBOX_EXAMPLE} to namespace default. Look at it with:`,
    `  ${k} get modeldeployments -A`,
    `  ${k} describe mdep -n default`,
    `  ${k} get nodes,pods -A`,
    "The operator itself is not built yet (issue \"Operator core\"), so nothing reconciles the example.",
    "Press Ctrl-C to stop the sandbox.",
  ].join("\n"));
  await stop;
}
