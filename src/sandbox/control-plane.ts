import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { componentSpecs, fakeNodeManifest, type ComponentName, type Layout } from "./components.ts";
import { SandboxError } from "./errors.ts";
import { waitForHealthy } from "./http-probe.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import { runKubectl, type KubectlResult } from "./kubectl.ts";
import { createPki } from "./pki.ts";
import { prepareRealNodeHost, RealNode, teardownRealNode, type RealNodeInfo } from "./real-node/real-node.ts";
import { freePorts } from "./ports.ts";
import {
  isAlive, readPidFile, removePidFile, startProcess, startReaper, stopProcessGroups, writePidFile,
  type ManagedProcess,
} from "./processes.ts";

export interface StartOptions {
  /** Working directory for data, PKI, logs and state; created if missing. */
  dir: string;
  binDir: string;
  kwokStagesDir: string;
  /** Tie the cluster's life to this process: if it dies without stopping, a reaper cleans up. */
  ownerPid?: number;
  /**
   * Also run a real node (kubelet + containerd + runc on a host bridge, see real-node/) whose
   * pods really run, with these image archives imported (scripts/images; the pause image among
   * them). Needs root; check `realNodeSupport()` first.
   */
  realNode?: { images: string[] };
  /** Flags appended to components' command lines (kept in the state, so restarts keep them). */
  extraArgs?: Layout["extraArgs"];
  log?: (message: string) => void;
}

/** What other processes need to use (or stop) a running control plane; stored as state.json. */
export interface ControlPlaneState {
  dir: string;
  kubeconfigPath: string;
  kubectlPath: string;
  apiServerUrl: string;
  version: string;
  /** kwok's fake node. */
  nodeName: string;
  layout: Layout;
  realNode?: RealNodeInfo;
}

export { REAL_NODE_NAME, REAL_NODE_SELECTOR, REAL_NODE_TAINT, REAL_NODE_TOLERATION } from "./real-node/identity.ts";
export { realNodeSupport, type RealNodeSupport } from "./real-node/support.ts";
export type { RealNodeInfo } from "./real-node/real-node.ts";

const STATE_FILE = "state.json";
/** Component name → pid, so another process can stop and restart single components. */
const COMPONENTS_FILE = "components.json";
const NODE_NAME = "kwok-node-0";
/** Order matters: stop reverses it, so etcd outlives the apiserver. */
const START_ORDER: ComponentName[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"];

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver, controller-manager,
 * scheduler and kwok (one fake Node whose pods become Running/Ready), optionally with a real
 * node beside it (see real-node/). Started processes are detached and recorded in a pid file,
 * so another process can stop them (`LocalControlPlane.stopDir`).
 */
export class LocalControlPlane {
  private readonly processes = new Map<ComponentName, ManagedProcess>();
  readonly state: ControlPlaneState;
  /** Set when started with `realNode` (not when attached: the owner keeps the handle). */
  realNode: RealNode | undefined = undefined;

  private constructor(state: ControlPlaneState) {
    this.state = state;
  }

  get kubeconfigPath(): string {
    return this.state.kubeconfigPath;
  }

  get kubectlPath(): string {
    return this.state.kubectlPath;
  }

  static async start(options: StartOptions): Promise<LocalControlPlane> {
    const log = options.log ?? ((m: string) => console.error(`[sandbox] ${m}`));
    const startedAt = Date.now();
    await mkdir(join(options.dir, "logs"), { recursive: true });
    const pki = await createPki(join(options.dir, "pki"));
    const [etcdClient, etcdPeer, apiServer, controllerManager, scheduler] = await freePorts(5);
    const layout: Layout = {
      dir: options.dir,
      binDir: options.binDir,
      kwokStagesDir: options.kwokStagesDir,
      kubeconfigPath: join(options.dir, "kubeconfig"),
      ports: { etcdClient: etcdClient!, etcdPeer: etcdPeer!, apiServer: apiServer!, controllerManager: controllerManager!, scheduler: scheduler! },
      pki,
      realNode: options.realNode !== undefined,
      ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
    };
    const apiServerUrl = `https://127.0.0.1:${layout.ports.apiServer}`;
    await writeFile(layout.kubeconfigPath, renderKubeconfig(apiServerUrl, pki.caCert, pki.adminToken), { mode: 0o600 });
    const plane = new LocalControlPlane({
      dir: options.dir,
      kubeconfigPath: layout.kubeconfigPath,
      kubectlPath: join(options.binDir, "kubectl"),
      apiServerUrl,
      version: "",
      nodeName: NODE_NAME,
      layout,
    });
    await writePidFile(options.dir, []);
    if (options.ownerPid !== undefined) startReaper(options.ownerPid, options.dir);
    let realNode: Promise<RealNode> | undefined;
    const apiServerReady = Promise.withResolvers<void>();
    apiServerReady.promise.catch(() => undefined); // only the real node awaits it
    try {
      if (options.realNode !== undefined) {
        const t = Date.now();
        await prepareRealNodeHost(options.dir);
        log(`Real node's network (bridge, routes, FORWARD rule) set up in ${Date.now() - t} ms`);
        // containerd and the image imports run while etcd and the apiserver start.
        realNode = RealNode.start({
          clusterDir: options.dir,
          binDir: options.binDir,
          pki,
          apiServerUrl,
          apiServerReady: apiServerReady.promise,
          images: options.realNode.images,
          kubectl: (args, input) => plane.kubectl(args, input),
          log,
        });
        realNode.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      }
      await plane.startComponent("etcd");
      await plane.startComponent("kube-apiserver");
      plane.state.version = await plane.serverVersion();
      apiServerReady.resolve();
      log(`kube-apiserver ${plane.state.version} ready at ${apiServerUrl} after ${Date.now() - startedAt} ms`);
      await Promise.all([
        plane.startComponent("kube-controller-manager"),
        plane.startComponent("kube-scheduler"),
        plane.startComponent("kwok"),
      ]);
      await plane.registerNode();
      log(`Node ${NODE_NAME} Ready (kwok) after ${Date.now() - startedAt} ms`);
      await plane.waitForDefaultServiceAccount();
      if (realNode !== undefined) {
        plane.realNode = await realNode;
        plane.state.realNode = plane.realNode.info;
        log(`Node ${plane.realNode.info.name} Ready (real) after ${Date.now() - startedAt} ms`);
      }
      await writeFile(join(options.dir, STATE_FILE), JSON.stringify(plane.state, null, 2));
      log(`Control plane up in ${Date.now() - startedAt} ms; logs in ${join(options.dir, "logs")}`);
      return plane;
    } catch (error) {
      apiServerReady.reject(error);
      await realNode?.catch(() => undefined); // teardown must not race a node still starting
      await plane.stop({ keepDir: true });
      throw new SandboxError(`Control plane failed to start; logs kept in ${join(options.dir, "logs")}`, { cause: error });
    }
  }

  /**
   * Takes control of a control plane another process started (tests restart the apiserver
   * this way). Stopping the whole plane stays with its owner.
   */
  static async attach(dir: string): Promise<LocalControlPlane> {
    const state = await LocalControlPlane.readState(dir);
    if (state === null) throw new SandboxError(`No control plane state in ${dir}`);
    const plane = new LocalControlPlane(state);
    const pids = await readComponentPids(dir);
    for (const name of START_ORDER) {
      const pid = pids[name];
      if (pid !== undefined) {
        plane.processes.set(name, { name, pid, logFile: join(dir, "logs", `${name}.log`), exited: new Promise(() => undefined) });
      }
    }
    return plane;
  }

  /** Reads the state of a control plane started by another process (or null if none). */
  static async readState(dir: string): Promise<ControlPlaneState | null> {
    try {
      return JSON.parse(await readFile(join(dir, STATE_FILE), "utf8")) as ControlPlaneState;
    } catch {
      return null;
    }
  }

  /**
   * Stops every process recorded under `dir` (whoever started them) and deletes `dir`. A real
   * node is torn down first (scripts/real-node-teardown restores the host); if that fails, the
   * control plane is still stopped, `dir` is kept (something may still be mounted in it) and the
   * error is thrown.
   */
  static async stopDir(dir: string, options: { keepDir?: boolean } = {}): Promise<void> {
    let teardownFailure: SandboxError | undefined;
    try {
      await teardownRealNode(dir);
    } catch (error) {
      teardownFailure = new SandboxError(`The real node in ${dir} was not fully torn down; the directory is kept`, { cause: error });
    }
    const pids = await readPidFile(dir);
    await removePidFile(dir);
    // etcd last: an apiserver that loses etcd while shutting down (with the lease endpoint
    // reconciler it removes its endpoint on the way out) hangs until SIGKILL.
    const etcd = await readComponentPids(dir).then((c) => c.etcd, () => undefined);
    await stopProcessGroups(pids.filter((p) => p !== etcd).reverse());
    if (etcd !== undefined && pids.includes(etcd)) await stopProcessGroups([etcd]);
    if (teardownFailure !== undefined) throw teardownFailure;
    if (!options.keepDir) await rm(dir, { recursive: true, force: true });
  }

  async stop(options: { keepDir?: boolean } = {}): Promise<void> {
    this.processes.clear();
    this.realNode = undefined;
    await LocalControlPlane.stopDir(this.state.dir, options);
  }

  kubectl(args: string[], input?: string): Promise<KubectlResult> {
    return runKubectl(this.state.kubectlPath, this.state.kubeconfigPath, args, input);
  }

  /** Stops one component (SIGTERM, then SIGKILL after the grace period). */
  async stopComponent(name: ComponentName): Promise<void> {
    const running = this.processes.get(name);
    if (running === undefined) return;
    await stopProcessGroups([running.pid]);
    this.processes.delete(name);
    await this.recordPids();
  }

  /** Starts one component with its usual command line and waits until it is healthy. */
  async startComponent(name: ComponentName): Promise<void> {
    const spec = componentSpecs(this.state.layout)[name];
    const started = startProcess(name, spec.command, spec.args, join(this.state.dir, "logs"));
    this.processes.set(name, started);
    await this.recordPids();
    if (spec.health === undefined) return;
    const exited = started.exited.then(async (why) => `${String(why)}; log tail: ${await logTail(started.logFile)}`);
    await waitForHealthy(name, spec.health, 90_000, exited);
  }

  private recording: Promise<void> = Promise.resolve();

  /** Records pids; serialised, because components start in parallel and both files must agree. */
  private recordPids(): Promise<void> {
    this.recording = this.recording.then(() => this.writePids());
    return this.recording;
  }

  private async writePids(): Promise<void> {
    const alive = START_ORDER.flatMap((n) => {
      const pid = this.processes.get(n)?.pid;
      return pid !== undefined && isAlive(pid) ? [[n, pid] as const] : [];
    });
    await writePidFile(this.state.dir, alive.map(([, pid]) => pid));
    await writeFile(join(this.state.dir, COMPONENTS_FILE), JSON.stringify(Object.fromEntries(alive)));
  }

  private async serverVersion(): Promise<string> {
    const result = await this.kubectl(["version", "-o", "json"]);
    const parsed = JSON.parse(result.stdout) as { serverVersion?: { gitVersion?: string } };
    const version = parsed.serverVersion?.gitVersion;
    if (version === undefined) throw new SandboxError(`kubectl version gave no server version: ${result.stderr}`);
    return version;
  }

  private async registerNode(): Promise<void> {
    const applied = await this.kubectl(["apply", "-f", "-"], fakeNodeManifest(NODE_NAME));
    if (applied.code !== 0) throw new SandboxError(`Could not create Node ${NODE_NAME}: ${applied.stderr}`);
    await this.poll(`Node ${NODE_NAME} Ready without the not-ready taint`, 90_000, async () => {
      const got = await this.kubectl(["get", "node", NODE_NAME, "-o", "json"]);
      if (got.code !== 0) return false;
      const node = JSON.parse(got.stdout) as {
        spec?: { taints?: { key: string }[] };
        status?: { conditions?: { type: string; status: string }[] };
      };
      const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      const tainted = node.spec?.taints?.some((t) => t.key.startsWith("node.kubernetes.io/")) ?? false;
      return ready && !tainted;
    });
  }

  private async waitForDefaultServiceAccount(): Promise<void> {
    await this.poll("ServiceAccount default/default", 60_000, async () =>
      (await this.kubectl(["get", "serviceaccount", "default", "-n", "default"])).code === 0);
  }

  private async poll(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      for (const p of this.processes.values()) {
        if (!isAlive(p.pid)) throw new SandboxError(`${p.name} exited while waiting for ${what}: ${await logTail(p.logFile)}`);
      }
      await sleep(250);
    }
    throw new SandboxError(`Timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

function readComponentPids(dir: string): Promise<Partial<Record<ComponentName, number>>> {
  return readFile(join(dir, COMPONENTS_FILE), "utf8").then((text) => JSON.parse(text) as Partial<Record<ComponentName, number>>);
}

async function logTail(file: string, lines = 15): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
