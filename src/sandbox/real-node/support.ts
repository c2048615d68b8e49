import { readFile, readdir } from "node:fs/promises";
import { exists } from "./host-state.ts";
import { BRIDGE } from "../addresses.ts";
import { hostCommand } from "./host-command.ts";

export type RealNodeSupport = { ok: true } | { ok: false; reason: string };

/** Host tools the node runs or calls; the Debian packages scripts/host-packages installs. */
const HOST_FILES: Record<string, string> = {
  "/usr/sbin/runc": "runc (Debian package runc)",
  "/usr/lib/cni/bridge": "the CNI bridge plugin (containernetworking-plugins)",
  "/usr/lib/cni/host-local": "the CNI host-local plugin (containernetworking-plugins)",
  "/usr/lib/cni/loopback": "the CNI loopback plugin (containernetworking-plugins)",
  "/proc/sys/net/bridge/bridge-nf-call-iptables": "bridge netfilter (kernel module br_netfilter)",
};
const PROBE_BRIDGE = "mdo-probe0";

/**
 * Whether this machine can run the real node, with the first reason it cannot: root, Linux, the
 * host tools (ip, iptables, runc, CNI plugins), overlayfs and cgroups, no other real node or
 * kubelet (their bridge and kubepods cgroups would be shared), and the right to create a bridge
 * (tried with a throwaway one). Changes nothing on the host.
 */
export async function realNodeSupport(): Promise<RealNodeSupport> {
  const no = (reason: string): RealNodeSupport => ({ ok: false, reason });
  if (process.platform !== "linux") return no(`the real node needs Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) return no("the real node needs root (network, cgroups, mounts)");
  for (const [file, what] of Object.entries(HOST_FILES)) {
    if (!(await exists(file))) return no(`${what} is missing: ${file} (run scripts/host-packages)`);
  }
  for (const tool of ["ip", "iptables", "ip6tables", "iptables-save", "iptables-restore"]) {
    if ((await hostCommand("sh", ["-c", `command -v ${tool}`])).code !== 0) return no(`${tool} is not on PATH`);
  }
  if (!(await readFile("/proc/filesystems", "utf8")).includes("overlay")) return no("the kernel has no overlayfs");
  const mounts = await readFile("/proc/self/mounts", "utf8");
  if (!/ cgroup2? /.test(mounts)) return no("no cgroup filesystem is mounted");
  if (await exists(`/sys/class/net/${BRIDGE}`)) {
    return no(`bridge ${BRIDGE} exists: another real node runs here, or a crashed one was not torn down (scripts/real-node-teardown <cluster-dir>)`);
  }
  const kubepods = await kubepodsCgroups();
  if (kubepods.length > 0) return no(`kubepods cgroups exist (${kubepods[0]}): another kubelet runs here or was not torn down`);
  if ((await hostCommand("pgrep", ["-x", "kubelet"])).code === 0) return no("another kubelet runs on this machine");
  const probe = await hostCommand("ip", ["link", "add", PROBE_BRIDGE, "type", "bridge"]);
  if (probe.code !== 0) return no(`cannot create a bridge: ${probe.stderr.trim()}`);
  await hostCommand("ip", ["link", "del", PROBE_BRIDGE]);
  return { ok: true };
}

/** kubepods* cgroups directly under any cgroup hierarchy's root. */
export async function kubepodsCgroups(): Promise<string[]> {
  const found: string[] = [];
  const roots = ["/sys/fs/cgroup", ...(await readdir("/sys/fs/cgroup").catch(() => [])).map((h) => `/sys/fs/cgroup/${h}`)];
  for (const root of roots) {
    const entries = await readdir(root).catch(() => []);
    found.push(...entries.filter((e) => e.startsWith("kubepods")).map((e) => `${root}/${e}`));
  }
  return found;
}

