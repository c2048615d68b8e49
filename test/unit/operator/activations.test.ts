// The operator's activation route, served by the real health server on 127.0.0.1: only the
// leader takes a demand, only for a ModelDeployment that may scale to zero and that the
// autoscaler sizes; the held count reaches the autoscaler; bad methods and bodies are refused.
import { strict as assert } from "node:assert";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { Registry } from "prom-client";
import type { DemandSink } from "../../../src/autoscaler/autoscaler.ts";
import type { ModelDeploymentObject } from "../../../src/controllers/modeldeployment/resource.ts";
import { activationRoute } from "../../../src/operator/activations.ts";
import { startHealthServer } from "../../../src/runtime/health-server.ts";
import { createLogger } from "../../../src/runtime/logging.ts";
import type { Server } from "node:http";

const demands: [string, number][] = [];
const answers: string[] = [];
let leading = true;
const tracked = new Set(["ml/fraud"]);
const sink: DemandSink = { demand: (key, held) => { demands.push([key, held]); return tracked.has(key); } };
const models = new Map<string, ModelDeploymentObject>([
  ["ml/fraud", { metadata: { name: "fraud", namespace: "ml" }, spec: { autoscaling: { minReplicas: 0 } } } as unknown as ModelDeploymentObject],
  ["ml/fixed", { metadata: { name: "fixed", namespace: "ml" }, spec: { replicas: 2 } } as unknown as ModelDeploymentObject],
  ["ml/later", { metadata: { name: "later", namespace: "ml" }, spec: { autoscaling: { minReplicas: 0 } } } as unknown as ModelDeploymentObject],
]);
let server: Server;
let base: string;

before(async () => {
  server = await startHealthServer("127.0.0.1", 0, { alive: () => true, ready: () => true }, new Registry(), activationRoute({
    leading: () => leading, find: (key) => models.get(key), sink: () => sink, logger: createLogger({ level: "error" }), counted: (answer) => answers.push(answer),
  }));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, body?: string, method = "POST"): Promise<number> {
  const res = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { body }) });
  await res.text();
  return res.status;
}

test("the leader takes a demand for a scale-to-zero ModelDeployment: 202, the held count reaches the autoscaler", async () => {
  demands.length = 0;
  assert.equal(await post("/v1/activations/ml/fraud", JSON.stringify({ held: 7 })), 202);
  assert.equal(await post("/v1/activations/ml/fraud"), 202, "an empty body counts as one held request");
  assert.deepEqual(demands, [["ml/fraud", 7], ["ml/fraud", 1]]);
});

test("404 for an unknown ModelDeployment, one that does not scale to zero, or one the autoscaler does not size yet", async () => {
  assert.equal(await post("/v1/activations/ml/nobody", "{}"), 404);
  assert.equal(await post("/v1/activations/ml/fixed", "{}"), 404);
  assert.equal(await post("/v1/activations/ml/later", "{}"), 404);
});

test("503 from a standby; 405 for other methods; 400 for a bad body; other paths are the health server's", async () => {
  leading = false;
  assert.equal(await post("/v1/activations/ml/fraud", "{}"), 503);
  leading = true;
  assert.equal(await post("/v1/activations/ml/fraud", undefined, "GET"), 405);
  assert.equal(await post("/v1/activations/ml/fraud", JSON.stringify({ held: -1 })), 400);
  assert.equal(await post("/v1/activations/ml/fraud", "not json"), 400);
  assert.equal(await post("/v1/activations/ml/fraud", JSON.stringify({ held: "x".repeat(5000) })), 400);
  assert.equal(await post("/v1/activations/ml"), 404);
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test("every answer to an activation is counted by kind", () => {
  assert.deepEqual([...new Set(answers)].sort(), ["accepted", "bad_request", "not_leader", "unknown"]);
  assert.equal(answers.filter((a) => a === "accepted").length, 2);
});
