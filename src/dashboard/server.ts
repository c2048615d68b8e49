// The dashboard's HTTP server: JSON views of the ModelDeployments an informer keeps, server-sent
// events on every change, the static page, and (with --allow-writes) promote and abort.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import type { KubeClient } from "../runtime/client/kube-client.ts";
import { describeError } from "../runtime/errors.ts";
import { Informer, objectKey } from "../runtime/informer.ts";
import { AnalysisHistory } from "./analysis-history.ts";
import { driftOf } from "./drift-source.ts";
import type { DriftFetcher } from "./live-drift.ts";
import { detailOf, summaryOf } from "./model-view.ts";
import { EventHub } from "./sse.ts";
import { decodedPath, serveStatic } from "./static-files.ts";
import { newConfirmToken, refusal, type RolloutWriter, type WriteKind } from "./writes.ts";

export interface DashboardOptions {
  client: KubeClient;
  /** One namespace, or undefined for all. */
  namespace: string | undefined;
  allowWrites: boolean;
  writer: RolloutWriter;
  driftFetcher: DriftFetcher;
  agentPort: number;
  port: number;
  address: string;
  log?: (message: string) => void;
}

export interface RunningDashboard {
  /** http://address:port, no trailing slash. */
  url: string;
  /** Resolves once the first list of ModelDeployments is in. */
  synced: Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The host name of a Host header (without its port). */
function hostnameOf(host: string | undefined): string {
  if (host === undefined) return "";
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
}

const ROUTE = /^\/api\/modeldeployments\/([^/]+)\/([^/]+)(?:\/(drift|promote|abort))?$/;

/** Starts watching and listening; the returned dashboard runs until `close`. Rejects when the port cannot be bound. */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const stop = new AbortController();
  /** Listening on loopback only: then every request must name a loopback host. */
  const loopbackOnly = ["127.0.0.1", "::1", "localhost"].includes(options.address);
  const log = options.log ?? (() => undefined);
  const informer = new Informer<ModelDeploymentObject>(options.client, {
    ref: MODEL_DEPLOYMENTS, namespace: options.namespace,
    onRestart: (reason, error) => log(`Restarted the ModelDeployment watch (${reason}): ${describeError(error)}`),
  });
  const history = new AnalysisHistory();
  const hub = new EventHub();
  const token = newConfirmToken();
  informer.onChange((type, md) => {
    const key = objectKey(md);
    if (type === "deleted") history.forget(key);
    else history.observe(key, md);
    if (type !== "resync") hub.send("change", { key, type });
  });
  const running = informer.run(stop.signal);

  const json = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://dashboard");
    const path = url.pathname;
    // DNS rebinding: a page of another site must not read through a name that resolves to loopback.
    if (loopbackOnly && !LOOPBACK_HOSTS.has(hostnameOf(req.headers.host))) return json(res, 403, { error: `Host ${req.headers.host ?? ""} is not this machine` });
    if (path === "/healthz") return json(res, 200, { ok: true });
    if (path === "/readyz") return json(res, informer.hasSynced() ? 200 : 503, { synced: informer.hasSynced() });
    if (path === "/api/config") return json(res, 200, { namespace: options.namespace ?? "all", writes: options.allowWrites, ...(options.allowWrites && { confirmToken: token }) });
    if (path === "/api/events") return hub.attach(res);
    if (path === "/api/modeldeployments") {
      const items = informer.list().map(summaryOf).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
      return json(res, 200, { synced: informer.hasSynced(), items });
    }
    const match = ROUTE.exec(path);
    if (match !== null) {
      const parts = match.map((m) => (m === undefined ? undefined : decodedPath(m)));
      if (parts.some((p, i) => p === undefined && match[i] !== undefined)) return json(res, 404, { error: `No endpoint ${path}` });
      const [, namespace = "", name = "", action] = parts;
      const key = `${namespace}/${name}`;
      if (action === "promote" || action === "abort") return write(req, res, action, namespace, name);
      if (req.method !== "GET") return json(res, 405, { error: "Method not allowed" });
      const md = informer.get(key);
      if (md === undefined) return json(res, 404, { error: `No ModelDeployment ${key}` });
      if (action === "drift") {
        const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(15_000)]);
        return json(res, 200, await driftOf(md, { client: options.client, fetcher: options.driftFetcher, agentPort: options.agentPort }, signal));
      }
      return json(res, 200, { detail: detailOf(md), intervals: history.intervals(key) });
    }
    if (path.startsWith("/api/")) return json(res, 404, { error: `No endpoint ${path}` });
    if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: "Method not allowed" });
    return serveStatic(path, res);
  };
  const write = async (req: IncomingMessage, res: ServerResponse, kind: WriteKind, namespace: string, name: string): Promise<void> => {
    if (req.method !== "POST") return json(res, 405, { error: "Use POST" });
    const why = refusal(req, options.allowWrites, token);
    if (why !== undefined) return json(res, 403, { error: why });
    if (informer.get(`${namespace}/${name}`) === undefined) return json(res, 404, { error: `No ModelDeployment ${namespace}/${name}` });
    await options.writer(kind, namespace, name);
    log(`Sent ${kind} to ModelDeployment ${namespace}/${name} from the dashboard`);
    return json(res, 200, { sent: kind, annotation: `mdo.dev/${kind}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`Failed ${req.method ?? ""} ${req.url ?? ""}: ${describeError(error)}`);
      if (!res.headersSent) json(res, 500, { error: describeError(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.address.includes(":") ? `[${options.address}]` : options.address;
  return {
    url: `http://${host}:${port}`,
    synced: informer.waitForSync(),
    close: async () => {
      stop.abort(new Error("dashboard closed"));
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running;
    },
  };
}
