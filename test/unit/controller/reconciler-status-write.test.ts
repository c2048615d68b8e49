// The reconciler's status write and its Events, over a stand-in transport: a ModelDeployment
// deleted mid-reconcile (the status write answers 404) is done with, and the status write and
// the crash-log reader get the reconcile's abort signal.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { CATALOG } from "../builders/fixtures.ts";
import { ApiError } from "../../../src/runtime/client/api-error.ts";
import { KubeClient, type KubeObject } from "../../../src/runtime/client/kube-client.ts";
import type { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { ManualClock } from "../../../src/runtime/clock.ts";
import type { EventRecorder, EventSpec } from "../../../src/runtime/events.ts";
import type { Informer } from "../../../src/runtime/informer.ts";
import type { Logger } from "../../../src/runtime/logging.ts";
import type { CrashLogReader } from "../../../src/controllers/modeldeployment/crash-logs.ts";
import type { ReconcilerDeps } from "../../../src/controllers/modeldeployment/deps.ts";
import { ModelDeploymentReconciler } from "../../../src/controllers/modeldeployment/reconciler.ts";
import type { ModelDeploymentObject } from "../../../src/controllers/modeldeployment/resource.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";

/** Invalid (negative replicas): converge stalls without an API call, so the status write is the only request. */
const md: ModelDeploymentObject = {
  apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment",
  metadata: { name: "fraud", namespace: "ml", uid: "u1", generation: 1, resourceVersion: "7" },
  spec: { model: { uri: "s3://models/fraud/v7", format: "sklearn" }, replicas: -1 } as ModelDeploymentObject["spec"],
};

interface Harness {
  deps: ReconcilerDeps;
  requests: { verb: string; path: string; signal: AbortSignal | undefined }[];
  events: EventSpec[];
  logged: { level: string; message: string }[];
  crashLogSignals: (AbortSignal | undefined)[];
}

/** `answer` decides each API request's fate (the status write included). */
function harness(answer: (verb: string, path: string) => unknown): Harness {
  const h: Omit<Harness, "deps"> = { requests: [], events: [], logged: [], crashLogSignals: [] };
  const transport = {
    request: (spec: { verb: string; path: string; signal?: AbortSignal }) => {
      h.requests.push({ verb: spec.verb, path: spec.path, signal: spec.signal });
      try {
        return Promise.resolve(answer(spec.verb, spec.path));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  } as unknown as KubeTransport;
  const log = (level: string) => (message: string): void => { h.logged.push({ level, message }); };
  const logger = { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error"), child: () => logger } as unknown as Logger;
  const cache = <T extends KubeObject>(items: T[]): Informer<T> =>
    ({ get: (key: string) => items.find((o) => `${o.metadata?.namespace}/${o.metadata?.name}` === key), list: () => items }) as unknown as Informer<T>;
  const deps: ReconcilerDeps = {
    client: new KubeClient(transport),
    caches: { modelDeployments: cache([md]), deployments: cache<V1Deployment & KubeObject>([]), pods: cache<V1Pod & KubeObject>([]), owned: new Map() },
    catalog: CATALOG,
    settings: DEFAULT_SETTINGS,
    recorder: { record: (_md: KubeObject, event: EventSpec) => { h.events.push(event); } } as unknown as EventRecorder,
    logger,
    clock: new ManualClock(Date.parse("2026-12-01T00:00:00Z")),
    webhooks: { call: () => Promise.reject(new Error("no webhooks in this test")) },
    crashLogs: { excerpts: (_pods: unknown, _now: Date, signal?: AbortSignal) => { h.crashLogSignals.push(signal); return Promise.resolve(new Map()); } } as unknown as CrashLogReader,
  };
  return { ...h, deps };
}

const isStatusWrite = (verb: string, path: string): boolean => verb === "APPLY" && path.endsWith("/modeldeployments/fraud/status");

test("a ModelDeployment deleted mid-reconcile (status write: 404) is done: no error, no retry, no Events, a debug log", async () => {
  const h = harness((verb, path) => {
    if (isStatusWrite(verb, path)) throw new ApiError(404, 'modeldeployments.mdo.dev "fraud" not found', { body: { reason: "NotFound" } });
    throw new Error(`unexpected ${verb} ${path}`);
  });
  const result = await new ModelDeploymentReconciler(h.deps).reconcile("ml/fraud", new AbortController().signal);
  assert.equal(result, undefined, "no requeue");
  assert.deepEqual(h.requests.map((r) => r.verb), ["APPLY"]);
  assert.deepEqual(h.events, [], "no status transition Events for an object that is gone");
  assert.deepEqual(h.logged.filter((l) => l.level !== "debug"), []);
  assert.ok(h.logged.some((l) => l.level === "debug" && /deleted/.test(l.message)));
});

test("other status write failures are still thrown for a retry", async () => {
  const h = harness(() => { throw new ApiError(500, "etcd unavailable"); });
  await assert.rejects(new ModelDeploymentReconciler(h.deps).reconcile("ml/fraud"), (e: unknown) => e instanceof ApiError && e.status === 500);
});

test("the status write and the crash-log reader carry the reconcile's abort signal", async () => {
  const h = harness((verb, path) => (isStatusWrite(verb, path) ? { ...md, metadata: { ...md.metadata, resourceVersion: "8" } } : undefined));
  const reconcile = new AbortController();
  await new ModelDeploymentReconciler(h.deps).reconcile("ml/fraud", reconcile.signal);
  assert.equal(h.requests[0]?.signal, reconcile.signal);
  assert.ok(h.events.some((e) => e.reason === "InvalidSpec"), "Stalled InvalidSpec is a status transition Event");
  assert.deepEqual(h.crashLogSignals, [reconcile.signal]);
});
