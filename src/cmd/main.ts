// `npm start`: the main job. With a cluster configured (KUBECONFIG or ~/.kube/config) it will run
// the operator against it (issue "Operator core"); with none it brings up the local sandbox — the
// same real control plane the tests use — installs the CRD, applies an example ModelDeployment and
// stays up until Ctrl-C.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveAssets } from "../sandbox/assets.ts";
import { LocalControlPlane } from "../sandbox/control-plane.ts";
import { runSandbox } from "../sandbox/session.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function configuredKubeconfig(): string | undefined {
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG;
  const home = join(homedir(), ".kube", "config");
  return existsSync(home) ? home : undefined;
}

async function main(): Promise<number> {
  const kubeconfig = configuredKubeconfig();
  if (kubeconfig !== undefined && process.env.MDO_SANDBOX !== "1") {
    console.error(`A cluster is configured (${kubeconfig}), but the operator process is not built yet ` +
      `(issue "Operator core"). Unset KUBECONFIG or set MDO_SANDBOX=1 to use the local sandbox.`);
    return 1;
  }
  const dir = process.env.MDO_SANDBOX_DIR ?? join(repoRoot, ".tmp", "sandbox");
  await LocalControlPlane.stopDir(dir);
  const plane = await LocalControlPlane.start({ dir, ...(await resolveAssets()), ownerPid: process.pid });
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  try {
    await runSandbox(plane, repoRoot, stopped);
  } finally {
    await plane.stop();
    console.log("Sandbox stopped");
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
