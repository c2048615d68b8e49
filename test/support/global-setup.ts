// Global setup of the integration test run (node --test --test-global-setup): builds or finds
// the control-plane binaries, starts one cluster for the whole run and stops it afterwards.
// Test files reach it through MDO_TEST_CLUSTER_DIR (see cluster.ts). If this process dies
// without tearing down, the reaper started with the cluster stops its processes.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAssets } from "../../src/sandbox/assets.ts";
import { LocalControlPlane } from "../../src/sandbox/control-plane.ts";
import { CRD_FILE, installCrd } from "../../src/sandbox/session.ts";
import { CLUSTER_DIR_ENV } from "./cluster.ts";

let plane: LocalControlPlane | undefined;

export async function globalSetup(): Promise<void> {
  const assets = await resolveAssets();
  const dir = await mkdtemp(join(tmpdir(), "mdo-test-cluster-"));
  plane = await LocalControlPlane.start({
    dir,
    ...assets,
    ownerPid: process.pid,
    log: (m) => console.log(`[test-cluster] ${m}`),
  });
  process.env[CLUSTER_DIR_ENV] = dir;
  // Every test may create ModelDeployments; the CRD test still checks installation on its own.
  await installCrd(plane, CRD_FILE);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void globalTeardown().finally(() => process.kill(process.pid, signal));
    });
  }
}

export async function globalTeardown(): Promise<void> {
  const running = plane;
  plane = undefined;
  if (running === undefined) return;
  await running.stop();
  console.log("[test-cluster] Control plane stopped");
}
