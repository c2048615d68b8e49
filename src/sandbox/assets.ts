import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SandboxError } from "./errors.ts";

export interface ControlPlaneAssets {
  binDir: string;
  kwokStagesDir: string;
}

const SCRIPT = fileURLToPath(new URL("../../scripts/k8s-assets", import.meta.url));

/**
 * Builds (first time, tens of minutes) or finds (warm, about a second) the control-plane
 * binaries through `scripts/k8s-assets`, whose progress goes to this process's stderr.
 * Honours KUBE_ASSETS / KWOK_STAGES like the script does.
 */
export function resolveAssets(): Promise<ControlPlaneAssets> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.once("error", (error) => reject(new SandboxError("Could not run scripts/k8s-assets", { cause: error })));
    child.once("close", (code) => {
      const [binDir, kwokStagesDir] = stdout.trim().split("\n");
      if (code !== 0 || binDir === undefined || kwokStagesDir === undefined) {
        reject(new SandboxError(`scripts/k8s-assets failed (exit ${code}); see its output above`));
        return;
      }
      resolve({ binDir, kwokStagesDir });
    });
  });
}
