// Global setup of the integration test run (node --test --test-global-setup): builds or finds
// the control-plane binaries and the images, starts one cluster for the whole run — with a real
// node beside the kwok node when this machine can run one — and stops it afterwards. Without a
// real node the reason is passed to the tests (NO_REAL_NODE_ENV), whose real-pod tests then fail
// with it: they are never skipped.
// Test files reach it through MDO_TEST_CLUSTER_DIR (see cluster.ts). If this process dies
// without tearing down, the reaper started with the cluster stops its processes.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAssets } from "../../src/sandbox/assets.ts";
import { LocalControlPlane } from "../../src/sandbox/control-plane.ts";
import { resolveImages } from "../../src/sandbox/images.ts";
import { installHostPackages } from "../../src/sandbox/real-node/host-packages.ts";
import { realNodeSupport } from "../../src/sandbox/real-node/support.ts";
import { CRD_FILES, installCrd } from "../../src/sandbox/session.ts";
import { CLUSTER_DIR_ENV, NO_REAL_NODE_ENV } from "./cluster.ts";
import { gatewayApiCrdsDir, installGatewayApiCrds } from "./gateway-api.ts";

let plane: LocalControlPlane | undefined;

export async function globalSetup(): Promise<void> {
  // The Gateway API CRDs (a ~3 MB module download when cold) are fetched while the cluster starts.
  const gatewayApiCrds = gatewayApiCrdsDir();
  gatewayApiCrds.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const assets = await resolveAssets();
  // Set before the run (any value), it means: no real node this time (a quicker kwok-only run of a
  // few files; their real-pod tests then fail with this reason).
  const asked = process.env[NO_REAL_NODE_ENV];
  const support = asked !== undefined && asked !== ""
    ? { ok: false as const, reason: `${NO_REAL_NODE_ENV}=${asked} was set for this run` }
    : await installHostPackages().then(
      () => realNodeSupport(),
      (error: unknown) => ({ ok: false as const, reason: `installing its Debian packages failed: ${(error as Error).message}` }),
    );
  let realNode: { images: string[] } | undefined;
  if (support.ok) {
    const images = await resolveImages();
    console.log(`[test-cluster] Images for the real node: ${images.map((i) => i.name).join(", ")}`);
    realNode = { images: images.map((i) => i.archive) };
  } else {
    console.log(`[test-cluster] No real node: ${support.reason}`);
    process.env[NO_REAL_NODE_ENV] = support.reason;
  }
  const dir = await mkdtemp(join(tmpdir(), "mdo-test-cluster-"));
  plane = await LocalControlPlane.start({
    dir,
    ...assets,
    ownerPid: process.pid,
    log: (m) => console.log(`[test-cluster] ${m}`),
    ...(realNode && { realNode }),
  });
  process.env[CLUSTER_DIR_ENV] = dir;
  // Every test may create ModelDeployments; the CRD test still checks installation on its own.
  for (const file of CRD_FILES) await installCrd(plane, file);
  // The GatewayAPI traffic router's tests need HTTPRoutes; installed once for the run.
  const running = plane;
  const started = performance.now();
  const installed = await installGatewayApiCrds((args) => running.kubectl(args), await gatewayApiCrds);
  console.log(`[test-cluster] ${installed.length} Gateway API CRDs Established after ${Math.round(performance.now() - started)} ms`);
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
