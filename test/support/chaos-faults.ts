// The faults of a chaos run, all from outside the operator: its process SIGKILLed and started
// again, the kube-apiserver restarted, etcd compacted, and its connections to the API server cut.
// For the last, the operator talks to the API server through a TCP relay in the test process
// (TLS passes through untouched: the serving certificate names 127.0.0.1, whatever the port),
// which can drop every connection at once while the API server stays up.
import { readFile, writeFile } from "node:fs/promises";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { LocalControlPlane } from "../../src/sandbox/control-plane.ts";
import type { FaultKind, FaultPlan } from "./chaos-plan.ts";
import type { TestCluster } from "./cluster.ts";

/** A TCP relay to the API server whose connections can all be cut at once. */
export class ApiRelay {
  private readonly server: Server;
  private readonly sockets: Set<Socket>;
  readonly port: number;

  private constructor(server: Server, sockets: Set<Socket>) {
    this.server = server;
    this.sockets = sockets;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Relays 127.0.0.1:<a free port> to the API server the cluster's kubeconfig names. */
  static async start(cluster: TestCluster): Promise<ApiRelay> {
    const upstream = new URL(apiServerUrl(await readFile(cluster.kubeconfigPath, "utf8")));
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const api = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
      for (const s of [client, api]) {
        sockets.add(s);
        s.once("close", () => sockets.delete(s));
        s.on("error", () => undefined); // a reset side ends the other through "close"
      }
      client.once("close", () => api.destroy());
      api.once("close", () => client.destroy());
      client.pipe(api).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new ApiRelay(server, sockets);
  }

  /** Open connections through the relay. */
  get connections(): number {
    return Math.ceil(this.sockets.size / 2);
  }

  /** Resets every connection: watches end, requests in flight fail; new connections work at once. */
  cutAll(): number {
    const cut = this.connections;
    for (const s of this.sockets) s.resetAndDestroy();
    return cut;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Writes `<dir>/kubeconfig`: the cluster's, with the server at this relay. */
  async writeKubeconfig(cluster: TestCluster, dir: string): Promise<string> {
    const config = JSON.parse(await readFile(cluster.kubeconfigPath, "utf8")) as { clusters: { cluster: { server: string } }[] };
    for (const c of config.clusters) c.cluster.server = `https://127.0.0.1:${this.port}`;
    const path = join(dir, "kubeconfig");
    await writeFile(path, JSON.stringify(config, null, 2), { mode: 0o600 });
    return path;
  }
}

/** The server URL of a sandbox kubeconfig (src/sandbox/kubeconfig.ts writes JSON). */
function apiServerUrl(kubeconfig: string): string {
  const server = (JSON.parse(kubeconfig) as { clusters?: { cluster?: { server?: string } }[] }).clusters?.[0]?.cluster?.server;
  if (server === undefined) throw new Error("The cluster's kubeconfig names no server");
  return server;
}

/** One fault as it happened, in ms since the run's start. */
export interface FaultRecord {
  readonly kind: FaultKind;
  readonly plannedMs: number;
  readonly startMs: number;
  readonly endMs: number;
  /** What happened, e.g. "cut 14 connections" or "operator pid 123 killed, pid 456 ready". */
  readonly detail: string;
}

/** What a fault acts on; `restartOperator` kills the operator and starts a new one. */
export interface FaultTargets {
  readonly cluster: TestCluster;
  readonly relay: ApiRelay;
  restartOperator(): Promise<string>;
}

/** Runs `plan` in order against `targets`; `t0` is the run's start (Date.now()). Stops when `signal` aborts. */
export async function runFaults(plan: readonly FaultPlan[], targets: FaultTargets, t0: number, signal: AbortSignal, records: FaultRecord[]): Promise<void> {
  const plane = await LocalControlPlane.attach(targets.cluster.dir);
  for (const fault of plan) {
    const wait = t0 + fault.atMs - Date.now();
    if (wait > 0) await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    if (signal.aborted) return;
    const startMs = Date.now() - t0;
    const detail = await inject(fault.kind, targets, plane);
    records.push({ kind: fault.kind, plannedMs: fault.atMs, startMs, endMs: Date.now() - t0, detail });
  }
}

async function inject(kind: FaultKind, targets: FaultTargets, plane: LocalControlPlane): Promise<string> {
  switch (kind) {
    case "operator-kill":
      return targets.restartOperator();
    case "apiserver-restart": {
      const start = Date.now();
      await plane.stopComponent("kube-apiserver");
      const stopped = Date.now();
      await plane.startComponent("kube-apiserver");
      return `kube-apiserver stopped in ${stopped - start} ms, started and ready in ${Date.now() - stopped} ms`;
    }
    case "etcd-compaction": {
      const etcd = `http://127.0.0.1:${plane.state.layout.ports.etcdClient}`;
      const revision = (await etcdPost(etcd, "/v3/kv/range", { key: Buffer.from("/registry").toString("base64") })).header?.revision;
      if (revision === undefined) throw new Error("etcd reported no revision");
      await etcdPost(etcd, "/v3/kv/compaction", { revision, physical: true });
      return `compacted to revision ${revision}`;
    }
    case "watch-cut":
      return `cut ${targets.relay.cutAll()} connections`;
  }
}

async function etcdPost(base: string, path: string, body: unknown): Promise<{ header?: { revision?: string } }> {
  const res = await fetch(`${base}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { header?: { revision?: string } };
}
