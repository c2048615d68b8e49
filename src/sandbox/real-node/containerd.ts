import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "../errors.ts";
import { isAlive, startProcess, type ManagedProcess } from "../processes.ts";
import { hostCommand, type HostCommandResult } from "./host-command.ts";
import type { NodePaths } from "./paths.ts";

/** The sandbox image every pod starts with; shipped by scripts/images, pinned against image GC. */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1";
/** Where every registry "is": a closed loopback port, so a pull of an image we did not import fails at once. */
export const CLOSED_REGISTRY = "http://127.0.0.1:9";
const RUNC = "/usr/sbin/runc";
const CNI_BIN_DIR = "/usr/lib/cni";

/**
 * containerd's config (version 4, containerd 2.x). Everything it writes lives under the node dir:
 * root, state, runc's state, sockets; `netns_mounts_under_state_dir` keeps pod network namespaces
 * there too. `restrict_oom_score_adj`: these VMs lack CAP_SYS_RESOURCE, so lowering a score
 * fails every sandbox. NRI and erofs are off (their defaults write outside the node dir), and so
 * is the `opt` plugin (/opt/containerd). Shim sockets go to `paths.shimSocketDir`, never to
 * containerd's default /run/containerd/s (another containerd on the machine may use it).
 */
export function containerdConfig(paths: NodePaths): string {
  const q = (s: string): string => `'${s}'`;
  return `version = 4
root = ${q(paths.containerdRoot)}
state = ${q(paths.containerdState)}
imports = []
disabled_plugins = ['io.containerd.nri.v1.nri', 'io.containerd.snapshotter.v1.erofs', 'io.containerd.differ.v1.erofs', 'io.containerd.internal.v1.opt']

[plugins.'io.containerd.server.v1.grpc']
  address = ${q(paths.containerdSocket)}

[plugins.'io.containerd.server.v1.ttrpc']
  address = ${q(`${paths.containerdSocket}.ttrpc`)}

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = ${q(PAUSE_IMAGE)}
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = ${q(paths.registryConfigDir)}

[plugins.'io.containerd.cri.v1.runtime']
  enable_selinux = false
  netns_mounts_under_state_dir = true
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = 'runc'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = ${q(RUNC)}
        Root = ${q(paths.runcRoot)}
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = [${q(CNI_BIN_DIR)}]
    conf_dir = ${q(paths.cniConfDir)}
    max_conf_num = 1

[plugins.'io.containerd.shim.v1.manager']
  socket_dir = ${q(paths.shimSocketDir)}
`;
}

/** Every registry host falls back to `_default`, which points at CLOSED_REGISTRY. */
export function defaultRegistryHosts(): string {
  return `server = "${CLOSED_REGISTRY}"\n\n[host."${CLOSED_REGISTRY}"]\n  capabilities = ["pull", "resolve"]\n`;
}

/** Writes the config and starts containerd (the shim is found next to it, through PATH). */
export async function startContainerd(paths: NodePaths, binDir: string): Promise<ManagedProcess> {
  await mkdir(join(paths.registryConfigDir, "_default"), { recursive: true });
  await writeFile(join(paths.registryConfigDir, "_default", "hosts.toml"), defaultRegistryHosts());
  await writeFile(paths.containerdConfig, containerdConfig(paths));
  return startProcess("containerd", join(binDir, "containerd"), ["--config", paths.containerdConfig], paths.logs, {
    env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin"}` },
  });
}

/** Waits until containerd answers on its socket; returns its version. */
export async function waitForContainerd(paths: NodePaths, binDir: string, started: ManagedProcess): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const version = await hostCommand(join(binDir, "ctr"), ["--address", paths.containerdSocket, "version"]);
    const server = /Server:\s*\n\s*Version:\s*(\S+)/.exec(version.stdout);
    if (version.code === 0 && server?.[1] !== undefined) return server[1];
    if (!isAlive(started.pid)) throw new SandboxError(`containerd exited at start; see ${started.logFile}`);
    await sleep(50);
  }
  throw new SandboxError(`containerd did not answer on ${paths.containerdSocket} within 30 s; see ${started.logFile}`);
}

/**
 * Imports image archives (OCI or docker-archive, as `podman save` writes them) into the CRI's
 * namespace; returns the names of the images that were not there before. (Names come from
 * listing, not from ctr's progress output, which mangles them.) Content only: the CRI unpacks an
 * image when the first container uses it, so startup does not pay for unpacking (about 40% of
 * an import: 22.6 s → 14.4 s for the test images) and unused images are never unpacked.
 */
export async function importImages(paths: NodePaths, binDir: string, archives: string[]): Promise<string[]> {
  const ctr = (args: string[]): Promise<HostCommandResult> =>
    hostCommand(join(binDir, "ctr"), ["--address", paths.containerdSocket, "-n", "k8s.io", ...args]);
  const list = async (): Promise<Set<string>> => {
    const listed = await ctr(["images", "ls", "-q"]);
    if (listed.code !== 0) throw new SandboxError(`ctr images ls failed: ${listed.stderr.trim()}`);
    return new Set(listed.stdout.split("\n").map((l) => l.trim()).filter(Boolean));
  };
  const before = await list();
  // In parallel: a little faster than one by one (unpacking is disk-bound).
  await Promise.all(archives.map(async (archive) => {
    const result = await ctr(["images", "import", "--no-unpack", archive]);
    if (result.code !== 0) throw new SandboxError(`ctr images import ${archive} failed: ${result.stderr.trim()}`);
  }));
  return [...(await list())].filter((name) => !before.has(name) && !name.startsWith("sha256:")).sort();
}
