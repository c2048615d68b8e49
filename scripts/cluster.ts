// npm run cluster -- up [--real-node]|down|status
// A local control plane for people: `up` starts it in the background and prints the kubeconfig
// and the kubectl that matches it (with --real-node also a real node whose pods really run, its
// images from scripts/images; needs root); `down` stops it and restores the host; `status` says
// whether it runs.
import { fileURLToPath } from "node:url";
import { resolveAssets } from "../src/sandbox/assets.ts";
import { resolveImages } from "../src/sandbox/images.ts";
import {
  LocalControlPlane, realNodeSupport, REAL_NODE_NAME, REAL_NODE_TAINT, type ControlPlaneState,
} from "../src/sandbox/control-plane.ts";
import { isAlive, readPidFile } from "../src/sandbox/processes.ts";

const dir = process.env.MDO_CLUSTER_DIR ?? fileURLToPath(new URL("../.tmp/cluster", import.meta.url));

function printUsage(state: ControlPlaneState): void {
  console.log(`kubeconfig: ${state.kubeconfigPath}`);
  console.log(`kubectl:    ${state.kubectlPath}`);
  console.log("");
  console.log(`  export KUBECONFIG=${state.kubeconfigPath}`);
  console.log(`  ${state.kubectlPath} get nodes`);
  if (state.realNode !== undefined) {
    console.log("");
    console.log(`Real node ${state.realNode.name} (${state.realNode.containerRuntimeVersion}, kubelet ${state.realNode.kubeletVersion}):`);
    console.log(`  pods need nodeSelector mdo.dev/node=real and a toleration of ${REAL_NODE_TAINT.key}=${REAL_NODE_TAINT.value}:${REAL_NODE_TAINT.effect}`);
  }
}

async function running(): Promise<ControlPlaneState | null> {
  const state = await LocalControlPlane.readState(dir);
  const pids = await readPidFile(dir);
  return state !== null && pids.length > 0 && pids.every(isAlive) ? state : null;
}

async function main(command: string | undefined, flags: string[]): Promise<number> {
  switch (command) {
    case "up": {
      const withRealNode = flags.includes("--real-node");
      const existing = await running();
      if (existing !== null) {
        console.log(`Cluster already running (${existing.version}) in ${dir}`);
        printUsage(existing);
        return 0;
      }
      await LocalControlPlane.stopDir(dir);
      let realNode: { images: string[] } | undefined;
      if (withRealNode) {
        const support = await realNodeSupport();
        if (!support.ok) {
          console.error(`Cannot run the real node ${REAL_NODE_NAME}: ${support.reason}`);
          return 1;
        }
        realNode = { images: (await resolveImages()).map((i) => i.archive) };
      }
      const plane = await LocalControlPlane.start({ dir, ...(await resolveAssets()), ...(realNode === undefined ? {} : { realNode }) });
      console.log(`Cluster up: kube-apiserver ${plane.state.version} at ${plane.state.apiServerUrl}`);
      printUsage(plane.state);
      console.log(`\nStop it with: npm run cluster -- down`);
      return 0;
    }
    case "down":
      await LocalControlPlane.stopDir(dir);
      console.log("Cluster stopped");
      return 0;
    case "status": {
      const state = await running();
      if (state === null) {
        console.log("No cluster running");
        return 1;
      }
      console.log(`Cluster running (${state.version})`);
      printUsage(state);
      return 0;
    }
    default:
      console.error("usage: npm run cluster -- up [--real-node]|down|status");
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
