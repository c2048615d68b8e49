// The floor the operator is measured against: the least any controller must do for the same
// result, at the same client-side QPS. For each new ModelDeployment it builds the children with
// the operator's own pure builders and applies each once; when the Deployment is available it
// writes the ModelDeployment's status once (Ready). No reads beyond the watches, no Events, no
// rollout state, no second status write.
import pLimit from "p-limit";
import type { V1Deployment } from "@kubernetes/client-node";
import { API_VERSION, KIND, parseModelDeployment } from "../../src/api/index.ts";
import { RuntimeCatalog } from "../../src/catalog/catalog.ts";
import { desiredList, OWNED_KINDS } from "../../src/controllers/modeldeployment/apply-children.ts";
import { buildChildren, computeRevision } from "../../src/controllers/modeldeployment/builders/index.ts";
import { LABEL_MODEL_DEPLOYMENT } from "../../src/controllers/modeldeployment/labels.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../../src/controllers/modeldeployment/resource.ts";
import { DEFAULT_SETTINGS } from "../../src/controllers/modeldeployment/settings.ts";
import { KubeClient, type KubeObject } from "../../src/runtime/client/kube-client.ts";
import { Resources } from "../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../src/runtime/client/transport.ts";
import { realClock } from "../../src/runtime/clock.ts";
import { Informer } from "../../src/runtime/informer.ts";
import { TokenBucket } from "../../src/runtime/rate-limiters.ts";
import type { OperatorFlags } from "../../test/support/operator-process.ts";
import { BENCH_NAMESPACE } from "./workload.ts";

export interface FloorController {
  /** Requests sent so far, by verb. */
  readonly requests: Readonly<Record<string, number>>;
  /** Failed requests (the floor never retries: a failure is reported, not hidden). */
  readonly failures: readonly string[];
  close(): Promise<void>;
}

export async function startFloor(kubeconfig: string, flags: OperatorFlags): Promise<FloorController> {
  const bucket = new TokenBucket(realClock, { qps: flags.qps, burst: flags.burst });
  const requests: Record<string, number> = {};
  const failures: string[] = [];
  const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig }), {
    throttle: async (signal) => {
      const wait = bucket.when("");
      if (wait > 0) await realClock.sleep(wait, signal);
    },
    onResponse: (verb) => {
      requests[verb] = (requests[verb] ?? 0) + 1;
    },
  }));
  const catalog = RuntimeCatalog.builtin();
  const limit = pLimit(flags.workers);
  const stop = new AbortController();
  const statusWritten = new Set<string>();
  const models = new Informer<ModelDeploymentObject>(client, { ref: MODEL_DEPLOYMENTS, namespace: BENCH_NAMESPACE, resyncPeriodMs: 0 });
  const deployments = new Informer<V1Deployment & KubeObject>(client, { ref: Resources.deployments, namespace: BENCH_NAMESPACE, resyncPeriodMs: 0 });
  const fail = (what: string) => (error: unknown): void => {
    failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };

  const createChildren = async (md: ModelDeploymentObject): Promise<void> => {
    const parsed = parseModelDeployment(md);
    if (!parsed.ok) throw parsed.error;
    const model = parsed.value;
    const runtime = catalog.resolve(model.spec.model.format, model.spec.protocol, model.spec.model.runtime);
    const revision = computeRevision(model, runtime, DEFAULT_SETTINGS);
    const children = desiredList(buildChildren({ md: model, runtime, settings: DEFAULT_SETTINGS, revision }));
    for (const child of children) {
      const ref = OWNED_KINDS.find((r) => r.kind === child.kind);
      if (ref === undefined) throw new Error(`Unexpected child kind ${child.kind}`);
      await client.apply(ref, child);
    }
  };
  const writeReady = async (md: ModelDeploymentObject): Promise<void> => {
    const generation = md.metadata?.generation ?? 0;
    await client.apply(MODEL_DEPLOYMENTS, {
      apiVersion: API_VERSION, kind: KIND,
      metadata: { name: md.metadata?.name, namespace: BENCH_NAMESPACE },
      status: {
        observedGeneration: generation, phase: "Ready",
        conditions: [{ type: "Ready", status: "True", reason: "Available", message: "floor", lastTransitionTime: new Date().toISOString(), observedGeneration: generation }],
      },
    } as unknown as ModelDeploymentObject, { subresource: "status" });
  };

  models.onChange((type, md) => {
    if (type !== "added") return;
    limit(() => createChildren(md)).catch(fail(`children of ${md.metadata?.name}`));
  });
  deployments.onChange((type, deployment) => {
    if (type === "deleted") return;
    const owner = deployment.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT];
    const want = deployment.spec?.replicas ?? 1;
    if (owner === undefined || statusWritten.has(owner) || (deployment.status?.availableReplicas ?? 0) < want) return;
    const md = models.get(`${BENCH_NAMESPACE}/${owner}`);
    if (md === undefined) return;
    statusWritten.add(owner);
    limit(() => writeReady(md)).catch(fail(`status of ${owner}`));
  });
  const running = [models.run(stop.signal), deployments.run(stop.signal)];
  await Promise.all([models.waitForSync(), deployments.waitForSync()]);
  return {
    requests, failures,
    close: async () => {
      stop.abort();
      await Promise.all(running);
      limit.clearQueue();
      client.transport.close();
    },
  };
}
