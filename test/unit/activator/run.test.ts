// startActivator in-process, end to end on 127.0.0.1: the pod informer fed by a scripted
// list+watch, a stand-in operator that "scales up" (a Ready pod appears in the watch) when asked,
// and a stand-in backend as that pod; ModelDeployments listed so that only those with minReplicas 0
// are served. A held request is forwarded once the pod is ready; the
// health server says ready once the pods were listed; a stop answers held requests 503.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadActivatorConfig } from "../../../src/activator/config.ts";
import { startActivator } from "../../../src/activator/run.ts";
import type { KubeObject, ListPage, WatchEvent, WatchOptions } from "../../../src/runtime/client/kube-client.ts";
import type { ListWatcher } from "../../../src/runtime/informer.ts";
import type { ResourceRef } from "../../../src/runtime/client/resource.ts";
import { createLogger } from "../../../src/runtime/logging.ts";
import { send, startBackend, until } from "./harness.ts";
import { modelPod } from "./pods.ts";

/** ModelDeployments the activator lists: two that scale to zero, one that does not. */
const MODELS = [
  { metadata: { name: "iris", namespace: "ml" }, spec: { autoscaling: { minReplicas: 0 } } },
  { metadata: { name: "resnet", namespace: "ml" }, spec: { autoscaling: { minReplicas: 0 } } },
  { metadata: { name: "fixed", namespace: "ml" }, spec: { replicas: 2 } },
];

/** A pod source: an empty list, then one watch that delivers what `push` is given; ModelDeployments: MODELS, then a quiet watch. */
class PodSource implements ListWatcher {
  readonly selectors: (string | undefined)[] = [];
  private emit: ((event: WatchEvent<KubeObject>) => void) | undefined;

  list<T extends KubeObject>(ref: ResourceRef, options: { labelSelector?: string | undefined }): Promise<ListPage<T>> {
    if (ref.plural === "modeldeployments") return Promise.resolve({ items: MODELS as unknown as T[], resourceVersion: "1" });
    this.selectors.push(options.labelSelector);
    return Promise.resolve({ items: [], resourceVersion: "1" });
  }

  watch<T extends KubeObject>(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    if (ref.plural !== "modeldeployments") this.emit = onEvent as (event: WatchEvent<KubeObject>) => void;
    return new Promise((resolve) => {
      if (options.signal?.aborted === true) resolve();
      else options.signal?.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  push(event: WatchEvent<KubeObject>): void {
    assert.ok(this.emit, "the informer watches");
    this.emit(event);
  }
}

test("holds a request, asks the operator, forwards once the pod is ready, and answers held requests 503 on stop", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdo-activator-"));
  after(() => rm(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, "kubeconfig");
  // Never contacted: the pods come from the PodSource.
  await writeFile(kubeconfig, JSON.stringify({
    apiVersion: "v1", kind: "Config", "current-context": "main",
    clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
    users: [{ name: "u", user: { token: "t" } }],
    contexts: [{ name: "main", context: { cluster: "c", user: "u" } }],
  }));
  const backend = await startBackend();
  after(() => backend.close());
  const source = new PodSource();
  const activations: string[] = [];
  const operator = createServer((req, res) => {
    activations.push(`${req.method} ${req.url}`);
    req.resume().on("end", () => {
      res.writeHead(202).end();
      source.push({ type: "ADDED", object: modelPod({ name: "iris-1", ready: true, ip: "127.0.0.1" }) });
    });
  });
  await new Promise<void>((resolve) => operator.listen(0, "127.0.0.1", resolve));
  after(() => new Promise<void>((resolve) => operator.close(() => resolve())));

  const config = loadActivatorConfig({
    listen: "127.0.0.1:0", healthAddress: "127.0.0.1:0", kubeconfig, namespace: "ml",
    operatorUrl: `http://127.0.0.1:${(operator.address() as AddressInfo).port}`,
    backendPort: new URL(backend.url).port, coldStartTimeout: "5",
  }, {});
  const stop = new AbortController();
  const running = await startActivator(config, stop.signal, { logger: createLogger({ silent: true }), listWatcher: () => source, drainTimeoutMs: 1000 });
  after(() => stop.abort());
  const url = `http://${running.address}`;
  const health = `http://${running.healthAddress}`;

  await until(() => source.selectors.length === 1, "the pods listed");
  assert.deepEqual(source.selectors, ["app.kubernetes.io/managed-by=mdo,app.kubernetes.io/component=model-server,mdo.dev/model-deployment"]);
  assert.equal((await fetch(`${health}/readyz`)).status, 200);
  assert.equal((await fetch(`${health}/healthz`)).status, 200);

  const held = await send(url, { host: "iris", headers: { "x-test-id": "held" }, body: Buffer.from("{}") });
  assert.equal(held.status, 200, held.body.toString());
  assert.ok(held.headers["x-mdo-cold-start"] !== undefined, "the held request carries the cold-start header");
  assert.deepEqual(activations, ["POST /v1/activations/ml/iris"]);
  assert.equal(backend.seen.get("held")?.length, 1);
  const direct = await send(url, { host: "iris.ml.svc", headers: { "x-test-id": "direct" } });
  assert.equal(direct.status, 200);
  assert.equal(direct.headers["x-mdo-cold-start"], undefined, "a ready pod: straight through");

  // Only ModelDeployments that scale to zero are served: others are refused at once, nothing held or asked for.
  for (const host of ["fixed", "nobody.ml"]) {
    const refused = await send(url, { host });
    assert.equal(refused.status, 404, `${host}: ${refused.body.toString()}`);
  }
  assert.equal(activations.length, 1);

  const metrics = await (await fetch(`${health}/metrics`)).text();
  assert.match(metrics, /mdo_activator_requests_total\{outcome="forwarded_after_cold_start"\} 1/);
  assert.match(metrics, /mdo_activator_process_/);

  // No pod ever comes for this one; the stop answers it.
  const stranded = send(url, { host: "resnet", headers: { "x-test-id": "stranded" } });
  await until(() => activations.length === 2, "the second activation");
  stop.abort();
  const answer = await stranded;
  assert.equal(answer.status, 503);
  assert.equal(answer.headers["retry-after"], "1");
  await running.done;
  await assert.rejects(fetch(`${url}/`), "no longer listening");
  await assert.rejects(fetch(`${health}/healthz`), "the health server is closed");
});
