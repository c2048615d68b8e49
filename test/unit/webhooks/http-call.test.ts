// The HTTP webhook caller against a local server: body, timeout, retries on 5xx and network
// errors (1 s apart), none on 4xx, answers cut to 256 characters.
import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import type { WebhookSpec } from "../../../src/api/webhooks.ts";
import type { Clock } from "../../../src/runtime/clock.ts";
import type { WebhookCall } from "../../../src/rollout/hook-state.ts";
import { callWebhook, MAX_ANSWER_CHARS } from "../../../src/webhooks/http-call.ts";
import { HttpWebhookCaller } from "../../../src/webhooks/http-caller.ts";
import { webhookBody } from "../../../src/webhooks/types.ts";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, string[]>();
let server: Server;
let base = "";

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      hits.set(req.url ?? "", [...(hits.get(req.url ?? "") ?? []), body]);
      const handler = routes.get(req.url ?? "");
      if (handler === undefined) res.writeHead(404).end();
      else handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const call: WebhookCall = { type: "PreRollout", phase: "Progressing", stableRevision: "r1", canaryRevision: "r2", modelVersion: "v2", step: 0, weight: 0 };
const target = { name: "fraud", namespace: "ml" };
const hook = (path: string, extra: Partial<WebhookSpec> = {}): WebhookSpec => ({ name: "h", type: "PreRollout", url: `${base}${path}`, timeout: "10s", retries: 2, ...extra });
/** A clock whose sleep records instead of sleeping. */
function delays(): { waited: number[]; clock: Pick<Clock, "sleep"> } {
  const waited: number[] = [];
  return { waited, clock: { sleep: (ms) => { waited.push(ms); return Promise.resolve(); } } };
}
/** Answers with each status in turn, the last one from then on. */
function sequence(path: string, statuses: number[], text = ""): void {
  let i = 0;
  routes.set(path, (_req, _body, res) => res.writeHead(statuses[Math.min(i++, statuses.length - 1)] ?? 500).end(text));
}

test("POSTs the JSON body with the hook's metadata; 2xx passes", async () => {
  let seen: { type: string | undefined; body: unknown } | undefined;
  routes.set("/ok", (req, body, res) => {
    seen = { type: req.headers["content-type"], body: JSON.parse(body) };
    res.writeHead(202).end("queued");
  });
  const h = hook("/ok", { metadata: { team: "risk" } });
  const result = await callWebhook(h, webhookBody(h, call, target), delays());
  assert.deepEqual(result, { name: "h", passed: true, status: 202, message: "answered 202: queued" });
  assert.deepEqual(seen, {
    type: "application/json",
    body: { name: "fraud", namespace: "ml", type: "PreRollout", phase: "Progressing", stableRevision: "r1", canaryRevision: "r2", modelVersion: "v2", step: 0, weight: 0, metadata: { team: "risk" } },
  });
});

test("retries a 5xx up to `retries` times, 1 s apart, and passes when a later attempt does", async () => {
  sequence("/flaky", [503, 500, 200]);
  const { waited, clock } = delays();
  const result = await callWebhook(hook("/flaky"), webhookBody(hook("/flaky"), call, target), { clock });
  assert.deepEqual([result.passed, result.status, result.message], [true, 200, "answered 200 (after 3 attempts)"]);
  assert.deepEqual(waited, [1000, 1000]);
});

test("fails with the last 5xx once the retries are used up", async () => {
  sequence("/down", [503], "maintenance");
  const { waited, clock } = delays();
  const result = await callWebhook(hook("/down", { retries: 1 }), webhookBody(hook("/down"), call, target), { clock });
  assert.deepEqual(result, { name: "h", passed: false, status: 503, message: "answered 503: maintenance (after 2 attempts)" });
  assert.equal(hits.get("/down")?.length, 2);
  assert.deepEqual(waited, [1000]);
});

test("a 4xx is final: no retry", async () => {
  sequence("/no", [403], "denied");
  const { waited, clock } = delays();
  const result = await callWebhook(hook("/no", { retries: 5 }), webhookBody(hook("/no"), call, target), { clock });
  assert.deepEqual(result, { name: "h", passed: false, status: 403, message: "answered 403: denied" });
  assert.deepEqual([hits.get("/no")?.length, waited], [1, []]);
});

test("an answer slower than the timeout is no answer, and is retried", async () => {
  routes.set("/slow", (_req, _body, res) => { setTimeout(() => res.writeHead(200).end(), 2000).unref(); });
  const { clock } = delays();
  const started = Date.now();
  const result = await callWebhook(hook("/slow", { timeout: "150ms", retries: 1 }), webhookBody(hook("/slow"), call, target), { clock });
  assert.deepEqual(result, { name: "h", passed: false, message: "no answer within 150 ms (after 2 attempts)" });
  assert.ok(Date.now() - started < 1500, "did not wait for the slow answer");
  assert.equal(hits.get("/slow")?.length, 2);
});

test("a refused connection is no answer, retried, and the message does not contain the URL", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const { waited, clock } = delays();
  const h: WebhookSpec = { ...hook("/"), url: `http://user:secret@127.0.0.1:${port}/x?token=abc` };
  const result = await callWebhook(h, webhookBody(h, call, target), { clock });
  assert.deepEqual([result.passed, result.status, waited.length], [false, undefined, 2]);
  assert.match(result.message, /^request failed: ECONNREFUSED \(after 3 attempts\)$/);
});

test("at most 256 characters of the answer, on one line", async () => {
  routes.set("/long", (_req, _body, res) => res.writeHead(400).end(`line one\nline\ttwo ${"x".repeat(10_000)}`));
  const result = await callWebhook(hook("/long"), webhookBody(hook("/long"), call, target), delays());
  const answer = result.message.replace(/^answered 400: /, "");
  assert.equal(answer.length, MAX_ANSWER_CHARS);
  assert.ok(answer.startsWith("line one line two xxx") && answer.endsWith("…"));
});

test("HttpWebhookCaller calls only the hooks of the asked type, concurrently, one result each in order", async () => {
  sequence("/a", [200]);
  sequence("/b", [409], "busy");
  const hooks: WebhookSpec[] = [
    hook("/a", { name: "a" }),
    hook("/post", { name: "post", type: "PostRollout" }),
    hook("/b", { name: "b" }),
  ];
  const results = await new HttpWebhookCaller(delays()).call(hooks, call, target);
  assert.deepEqual(results.map((r) => [r.name, r.passed, r.status]), [["a", true, 200], ["b", false, 409]]);
  assert.equal(hits.get("/post"), undefined);
  assert.deepEqual(await new HttpWebhookCaller(delays()).call(hooks, { ...call, type: "Rollback" }, target), []);
});

test("HttpWebhookCaller with a reconcile's signal: an abort ends a call that would wait for its 30 s timeout, without retrying", { timeout: 10_000 }, async () => {
  routes.set("/never", () => { /* never answers */ });
  const reconcile = new AbortController();
  setTimeout(() => reconcile.abort(new Error("shutting down")), 100);
  const results = await new HttpWebhookCaller(delays()).call([hook("/never", { timeout: "30s", retries: 2 })], call, target, reconcile.signal);
  assert.deepEqual(results.map((r) => [r.passed, r.message.startsWith("aborted")]), [[false, true]]);
  assert.equal(hits.get("/never")?.length, 1, "no retry after the abort");
});
