import { SandboxError } from "./errors.ts";
import { runProjectScript } from "./project-script.ts";

export interface ControlPlaneAssets {
  binDir: string;
  kwokStagesDir: string;
}

/**
 * Builds (first time, tens of minutes) or finds (warm, about a second) the control-plane and
 * real-node binaries through `scripts/k8s-assets`, whose progress goes to this process's stderr.
 * Honours KUBE_ASSETS / KWOK_STAGES like the script does.
 */
export async function resolveAssets(): Promise<ControlPlaneAssets> {
  const [binDir, kwokStagesDir] = await runProjectScript("k8s-assets");
  if (binDir === undefined || kwokStagesDir === undefined) throw new SandboxError("scripts/k8s-assets printed no bin and kwok-stages directories");
  return { binDir, kwokStagesDir };
}
