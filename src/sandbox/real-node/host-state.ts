import { access, readFile, writeFile } from "node:fs/promises";

/**
 * Sysctls the real node changes on the host: kubelet's kernel defaults (overcommit, panic,
 * keys), forwarding (set by us and the CNI bridge plugin; net.ipv4.ip_forward also flips every
 * interface's forwarding, and restoring it flips them back), bridge netfilter (Service traffic
 * between pods on one bridge), and route_localnet (kube-proxy, if localhost NodePorts were on).
 */
export const CHANGED_SYSCTLS = [
  "vm.overcommit_memory", "vm.panic_on_oom", "kernel.panic", "kernel.panic_on_oops",
  "kernel.keys.root_maxkeys", "kernel.keys.root_maxbytes",
  "net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding", "net.ipv4.conf.default.forwarding",
  "net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables",
  "net.ipv4.conf.all.route_localnet",
] as const;

/**
 * Host paths the node's pieces create outside the cluster directory whatever their config says
 * (kubelet's device-plugin dir and container log links, libcni's result cache). Teardown deletes
 * each one that did not exist before. (/run/containerd is not among them: the shims' sockets go
 * elsewhere, see containerd.ts, and another containerd on the machine may own it.)
 */
export const CREATED_PATHS = ["/var/lib/kubelet", "/var/log/pods", "/var/log/containers", "/var/lib/cni"] as const;

/**
 * The host before any real node ever ran here, in the host-state format; written once, read by
 * scripts/check-no-strays. Delete it if the machine's settings change on purpose.
 */
export const HOST_STATE_BEFORE = "/tmp/mdo-host-state-before";

/**
 * The values to restore, one per line: `sysctl <key> <value>` or `path <path> absent|present`
 * (a sysctl the kernel lacks is left out). Bash reads it: scripts/real-node-teardown, check-no-strays.
 */
export async function snapshotHostState(): Promise<string> {
  const lines: string[] = [];
  for (const key of CHANGED_SYSCTLS) {
    const value = await readSysctl(key);
    if (value !== null) lines.push(`sysctl ${key} ${value}`);
  }
  for (const path of CREATED_PATHS) lines.push(`path ${path} ${(await exists(path)) ? "present" : "absent"}`);
  return lines.join("\n") + "\n";
}

/**
 * Records a snapshot taken before setup for this node's teardown (`file`, which must not exist
 * yet: a second setup must not overwrite the first one's "before" with its own "after") and, if
 * missing, for check-no-strays.
 */
export async function recordHostState(file: string, snapshot: string): Promise<void> {
  await writeFile(file, snapshot, { flag: "wx" });
  if (!(await exists(HOST_STATE_BEFORE))) await writeFile(HOST_STATE_BEFORE, snapshot);
}

/** Reads a sysctl through /proc/sys (null if this kernel has no such key). */
export async function readSysctl(key: string): Promise<string | null> {
  try {
    return (await readFile(`/proc/sys/${key.replaceAll(".", "/")}`, "utf8")).trim();
  } catch {
    return null;
  }
}

export async function writeSysctl(key: string, value: string): Promise<void> {
  await writeFile(`/proc/sys/${key.replaceAll(".", "/")}`, value);
}

/** True when `path` exists (any kind of file); false when it does not or cannot be seen. */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
