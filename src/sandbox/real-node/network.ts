import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  BRIDGE, CLUSTER_SUPERNET, POD_NETWORK_CIDR, REAL_NODE_IP, REAL_NODE_POD_CIDR, SERVICE_CIDR,
} from "../addresses.ts";
import { writeSysctl } from "./host-state.ts";
import { mustRun } from "./host-command.ts";
import type { NodePaths } from "./paths.ts";

/** iptables rule (after `-I`/`-D FORWARD`) that keeps pods from being routed anywhere off the bridge. */
export const ISOLATION_RULE = ["-i", BRIDGE, "!", "-o", BRIDGE, "-j", "DROP"] as const;

/**
 * Creates the bridge: the node's claim on the machine. Fails (and changes nothing) if it exists,
 * i.e. another real node runs here; so a second node never records, or tears down, the first's.
 */
export async function claimBridge(): Promise<void> {
  await mustRun("ip", ["link", "add", BRIDGE, "type", "bridge"]);
}

/**
 * Puts the rest of the node's network on the host (after `claimBridge`), before the apiserver
 * starts (it advertises REAL_NODE_IP): REAL_NODE_IP on the bridge, routes that send the whole pod network and Service CIDR into it
 * (and an `unreachable` route for 198.18.0.0/15 underneath, so nothing for these ranges can take
 * the default route even while the bridge is being removed), the FORWARD rule that keeps pods
 * on the bridge, forwarding and bridge netfilter on (kube-proxy's rules must see pod-to-Service
 * traffic that stays on the bridge), and the CNI config. Undone by scripts/real-node-teardown,
 * which needs the host state recorded first (see host-state.ts).
 */
export async function setupNetwork(paths: NodePaths): Promise<void> {
  await mustRun("ip", ["addr", "add", `${REAL_NODE_IP}/${REAL_NODE_POD_CIDR.split("/")[1]}`, "dev", BRIDGE]);
  await mustRun("ip", ["link", "set", BRIDGE, "up"]);
  await mustRun("ip", ["route", "add", "unreachable", CLUSTER_SUPERNET, "metric", "4096"]);
  for (const cidr of [POD_NETWORK_CIDR, SERVICE_CIDR]) {
    await mustRun("ip", ["route", "add", cidr, "dev", BRIDGE, "src", REAL_NODE_IP]);
  }
  await mustRun("iptables", ["-w", "5", "-I", "FORWARD", ...ISOLATION_RULE]);
  await writeSysctl("net.ipv4.ip_forward", "1");
  await writeSysctl("net.bridge.bridge-nf-call-iptables", "1");
  await mkdir(paths.cniConfDir, { recursive: true });
  await writeFile(join(paths.cniConfDir, "10-mdo-real-node.conflist"), JSON.stringify(cniConfig(paths), null, 2));
}

/**
 * One bridge network: pods get an address from REAL_NODE_POD_CIDR and routes for the pod network
 * and the Service CIDR through the gateway, and no default route, so a pod cannot reach anything
 * the test did not create. No masquerading, no DNS. host-local keeps its leases under the node dir.
 */
export function cniConfig(paths: NodePaths): object {
  return {
    cniVersion: "1.0.0",
    name: "mdo-real-node",
    plugins: [{
      type: "bridge",
      bridge: BRIDGE,
      isGateway: true,
      ipMasq: false,
      hairpinMode: true,
      ipam: {
        type: "host-local",
        dataDir: paths.cniIpamDir,
        ranges: [[{ subnet: REAL_NODE_POD_CIDR, gateway: REAL_NODE_IP }]],
        routes: [{ dst: POD_NETWORK_CIDR }, { dst: SERVICE_CIDR }],
      },
    }],
  };
}
