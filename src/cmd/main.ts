// `npm start`: the main job. With a cluster configured (KUBECONFIG or ~/.kube/config) it runs the
// operator against it. With none it brings up the local sandbox — the same real control plane the
// tests use — installs the CRD, applies an example, runs the operator until the example is Ready,
// prints how to look at it, and stays up until Ctrl-C.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../operator/config.ts";
import { startOperator } from "../operator/run.ts";
import { resolveAssets } from "../sandbox/assets.ts";
import { LocalControlPlane } from "../sandbox/control-plane.ts";
import { prepareSandbox, sandboxInstructions, waitForExample } from "../sandbox/session.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

function configuredKubeconfig(): string | undefined {
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG;
  const home = join(homedir(), ".kube", "config");
  return existsSync(home) ? home : undefined;
}

async function main(): Promise<number> {
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
  const kubeconfig = configuredKubeconfig();
  if (kubeconfig !== undefined && process.env.MDO_SANDBOX !== "1") {
    console.error(`Running the operator against ${kubeconfig} (set MDO_SANDBOX=1 for the local sandbox instead)`);
    const running = await startOperator(loadConfig({ kubeconfig }, process.env), stop.signal);
    return (await running.done) === "leadership-lost" ? 3 : 0;
  }

  const dir = process.env.MDO_SANDBOX_DIR ?? join(repoRoot, ".tmp", "sandbox");
  await LocalControlPlane.stopDir(dir);
  const plane = await LocalControlPlane.start({ dir, ...(await resolveAssets()), ownerPid: process.pid });
  try {
    const example = await prepareSandbox(plane, repoRoot);
    const running = await startOperator(loadConfig({ kubeconfig: plane.kubeconfigPath, healthAddress: "127.0.0.1:0" }, process.env), stop.signal);
    await waitForExample(plane, example);
    console.log(sandboxInstructions(plane, example));
    console.log(`Operator health and metrics: http://${running.healthAddress}/metrics`);
    await running.done;
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
