// `npm start`: the main job. With a cluster configured (KUBECONFIG or ~/.kube/config) it runs the
// operator against it. With none it brings up the local sandbox — the same real control plane the
// tests use, with a real node (kubelet + containerd) beside kwok's when this machine can run one —
// trains a small model, deploys it on real pods, runs the operator until it is Ready, prints a curl
// command that gets a prediction from it, and stays up until Ctrl-C. Without a real node (not
// root, no bridge…) it says why in one line and deploys an example on kwok's simulated pods.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../operator/config.ts";
import { startOperator } from "../operator/run.ts";
import { resolveAssets } from "../sandbox/assets.ts";
import { LocalControlPlane } from "../sandbox/control-plane.ts";
import { resolveImages } from "../sandbox/images.ts";
import { installHostPackages } from "../sandbox/real-node/host-packages.ts";
import { realNodeSupport } from "../sandbox/real-node/support.ts";
import { inferenceUrl, predictOnce, prepareRealSandbox, realSandboxInstructions } from "../sandbox/real-sandbox.ts";
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
    // KUBECONFIG may list several files: the operator's loader merges them as kubectl does.
    const running = await startOperator(loadConfig(process.env.KUBECONFIG ? {} : { kubeconfig }, process.env), stop.signal);
    return (await running.done) === "leadership-lost" ? 3 : 0;
  }

  const dir = process.env.MDO_SANDBOX_DIR ?? join(repoRoot, ".tmp", "sandbox");
  await LocalControlPlane.stopDir(dir);
  const assets = await resolveAssets();
  const support = await installHostPackages().then(
    () => realNodeSupport(),
    (error: unknown) => ({ ok: false as const, reason: `installing its Debian packages failed: ${(error as Error).message}` }),
  );
  if (!support.ok) console.error(`No real node here (${support.reason}); pods will be simulated by kwok instead`);
  const realNode = support.ok ? { images: (await resolveImages()).map((i) => i.archive) } : undefined;
  const plane = await LocalControlPlane.start({ dir, ...assets, ownerPid: process.pid, ...(realNode && { realNode }) });
  try {
    const operatorConfig = loadConfig({ kubeconfig: plane.kubeconfigPath, healthAddress: "127.0.0.1:0" }, process.env);
    if (plane.state.realNode !== undefined) {
      const sandbox = await prepareRealSandbox(plane, repoRoot);
      const running = await startOperator(operatorConfig, stop.signal);
      await waitForExample(plane, sandbox.name, 300);
      const url = await inferenceUrl(plane, sandbox);
      const answered = await predictOnce(url, sandbox);
      console.log(realSandboxInstructions(plane, sandbox, url, answered));
      console.log(`Operator health and metrics: http://${running.healthAddress}/metrics`);
      await running.done;
    } else {
      const example = await prepareSandbox(plane, repoRoot);
      const running = await startOperator(operatorConfig, stop.signal);
      await waitForExample(plane, example);
      console.log(sandboxInstructions(plane, example));
      console.log(`Operator health and metrics: http://${running.healthAddress}/metrics`);
      await running.done;
    }
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
