// Real HTTP on 127.0.0.1 for the activator's tests: stand-in backends that record what reached
// them, an activator behind a node:http server, and a client.
import { createHash } from "node:crypto";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { Activator, type ActivatorOptions } from "../../../src/activator/activator.ts";
import { StaticBackends } from "../../../src/activator/backends.ts";
import type { ActivationTarget } from "../../../src/activator/target.ts";
import { createLogger } from "../../../src/runtime/logging.ts";

export const IRIS: ActivationTarget = { namespace: "ml", name: "iris" };
export const IRIS_HOST = "iris.ml.svc.cluster.local";
export const ID_HEADER = "x-test-id";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function shut(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** What a stand-in backend saw of one request. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: number;
  readonly sha256: string;
}

export interface StandIn {
  readonly url: string;
  /** Requests by their x-test-id (several entries: forwarded more than once). */
  readonly seen: Map<string, Seen[]>;
  close(): Promise<void>;
}

/** A backend answering 200 with JSON describing the request it got (its id, size and hash of its body). */
export async function startBackend(): Promise<StandIn> {
  const seen = new Map<string, Seen[]>();
  const server = createServer((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on("end", () => {
      const id = String(req.headers[ID_HEADER] ?? "");
      const entry: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, bytes, sha256: hash.digest("hex") };
      seen.set(id, [...(seen.get(id) ?? []), entry]);
      const body = JSON.stringify({ id, ...entry });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-backend": "stand-in" });
      res.end(body);
    });
  });
  const url = await listen(server);
  return { url, seen, close: () => shut(server) };
}

export interface RunningActivator {
  readonly url: string;
  readonly activator: Activator;
  readonly directory: StaticBackends;
  readonly registry: Registry;
  /** Every onDemand call, in order. */
  readonly demands: ActivationTarget[];
  close(): Promise<void>;
}

export async function startActivator(options: Partial<Omit<ActivatorOptions, "directory" | "registry" | "onDemand">> = {}): Promise<RunningActivator> {
  const directory = new StaticBackends();
  const registry = new Registry();
  const demands: ActivationTarget[] = [];
  const activator = new Activator({
    directory, registry, logger: createLogger({ silent: true }), targets: { defaultNamespace: "ml" },
    onDemand: (target) => { demands.push(target); }, ...options,
  });
  const server = createServer(activator.handle);
  const url = await listen(server);
  return {
    url, activator, directory, registry, demands,
    close: async () => {
      await activator.close();
      await shut(server);
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Sent {
  readonly host?: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
  /** Send the body chunked (no Content-Length). */
  readonly chunked?: boolean;
}

/** One request to `url`, read whole. */
export function send(url: string, sent: Sent = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: sent.host ?? IRIS_HOST, ...sent.headers };
    if (sent.body !== undefined && sent.chunked !== true) headers["content-length"] = sent.body.length;
    const req = request(`${url}${sent.path ?? "/v2/models/iris/infer"}`, { method: sent.method ?? (sent.body === undefined ? "GET" : "POST"), headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    // end(body) alone would declare the body's length: write it first to send it chunked.
    if (sent.chunked === true && sent.body !== undefined) req.write(sent.body);
    req.end(sent.chunked === true ? undefined : sent.body);
  });
}

/** Resolves once `condition` holds, polling every 5 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The value of mdo_activator_requests_total for one outcome. */
export async function outcomes(registry: Registry, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric("mdo_activator_requests_total")?.get();
  return metric?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
