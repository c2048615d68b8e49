// The API transport against a local HTTP server: 429 is retried after Retry-After, request
// bodies are framed on kept-alive connections (DELETE included), errors carry the Status reason.
import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { after, before, test } from "node:test";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import { accessFromKubeConfig } from "../../../src/runtime/client/access/client-node-access.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { Resources } from "../../../src/runtime/client/resource.ts";
import { listenAsApiServer } from "../../support/local-api.ts";

let server: Server;
let transport: KubeTransport;
const seen: { method: string; url: string; body: string }[] = [];
let tooMany = 0;
const codes: number[] = [];

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => resolve(body));
  });
}

before(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      if (req.url?.includes("/hang") === true) return; // never answers: only an abort ends the request
      if (req.url === "/throttled" && tooMany-- > 0) {
        res.writeHead(429, { "Retry-After": "1", "Content-Type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", reason: "TooManyRequests", code: 429 }));
        return;
      }
      if (req.url === "/missing") {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", reason: "NotFound", code: 404, message: "configmaps \"x\" not found" }));
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: true, method: req.method }));
    });
  });
  const kc = await listenAsApiServer(server);
  transport = new KubeTransport(accessFromKubeConfig(kc), { onResponse: (_verb, code) => codes.push(code) });
});
after(() => {
  transport.close();
  server.close();
});

test("429 Too Many Requests is retried after Retry-After", async () => {
  tooMany = 2;
  codes.length = 0;
  const started = Date.now();
  const body = await transport.request<{ ok: boolean }>({ verb: "GET", path: "/throttled" });
  assert.equal(body.ok, true);
  assert.deepEqual(codes, [429, 429, 200]);
  assert.ok(Date.now() - started >= 1900, "waited about Retry-After seconds each time");
});

test("a DELETE with a body does not corrupt the next request on the same connection", async () => {
  seen.length = 0;
  await transport.request({ verb: "DELETE", path: "/a", body: { kind: "DeleteOptions", propagationPolicy: "Background" } });
  const next = await transport.request<{ method: string }>({ verb: "GET", path: "/b" });
  assert.equal(next.method, "GET");
  assert.deepEqual(seen.map((s) => [s.method, s.url]), [["DELETE", "/a"], ["GET", "/b"]]);
  assert.match(seen[0]!.body, /Background/);
});

test("errors are ApiErrors with the Status reason and the server's message", async () => {
  await assert.rejects(transport.request({ verb: "GET", path: "/missing" }), (e: unknown) =>
    e instanceof ApiError && e.isNotFound && e.reason === "NotFound" && /not found/.test(e.message));
});

test("a client withSignal aborts its requests with the signal (a reconcile's, at shutdown); the plain client's are not affected", { timeout: 10_000 }, async () => {
  const client = new KubeClient(transport);
  const reconcile = new AbortController();
  const scoped = client.withSignal(reconcile.signal);
  const pending = scoped.get(Resources.configMaps, "ns", "hang");
  const applying = scoped.apply(Resources.configMaps, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "hang", namespace: "ns" } });
  setTimeout(() => reconcile.abort(new Error("shutting down")), 100);
  await assert.rejects(pending);
  await assert.rejects(applying);
  assert.equal(client.signal, undefined);
  assert.deepEqual(await client.get(Resources.configMaps, "ns", "fine"), { ok: true, method: "GET" });
});
