// gatewayApiAvailable against a local HTTP server standing in for the API server's discovery.
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import { after, before, test } from "node:test";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { accessFromKubeConfig } from "../../../src/runtime/client/access/client-node-access.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { gatewayApiAvailable } from "../../../src/traffic/discovery.ts";
import { listenAsApiServer } from "../../support/local-api.ts";

/** What the fake API server answers on /apis/gateway.networking.k8s.io/v1. */
let answer: { code: number; body: unknown } = { code: 404, body: {} };
const paths: string[] = [];
let server: Server;
let client: KubeClient;

before(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? "");
    res.writeHead(answer.code, { "Content-Type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
  const kc = await listenAsApiServer(server);
  client = new KubeClient(new KubeTransport(accessFromKubeConfig(kc)));
});
after(() => {
  client.transport.close();
  server.close();
});

test("httproutes listed in gateway.networking.k8s.io/v1: available", async () => {
  answer = { code: 200, body: { kind: "APIResourceList", groupVersion: "gateway.networking.k8s.io/v1", resources: [{ name: "gateways" }, { name: "httproutes" }, { name: "httproutes/status" }] } };
  assert.equal(await gatewayApiAvailable(client), true);
  assert.equal(paths.at(-1), "/apis/gateway.networking.k8s.io/v1");
});

test("group version not served (404): not available, no error", async () => {
  answer = { code: 404, body: { kind: "Status", reason: "NotFound", code: 404 } };
  assert.equal(await gatewayApiAvailable(client), false);
});

test("group version served without httproutes: not available", async () => {
  answer = { code: 200, body: { kind: "APIResourceList", resources: [{ name: "gateways" }] } };
  assert.equal(await gatewayApiAvailable(client), false);
});

test("other failures are thrown for a retry", async () => {
  answer = { code: 503, body: { kind: "Status", reason: "ServiceUnavailable", code: 503 } };
  await assert.rejects(gatewayApiAvailable(client), (error: unknown) => error instanceof ApiError && error.status === 503);
});
