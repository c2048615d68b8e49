// The operator measured: N ModelDeployments at once → all Ready; steady state; spec changes one
// at a time; a rollout of many at once.
import { join } from "node:path";
import type { V1Deployment } from "@kubernetes/client-node";
import type { KubeObject } from "../../src/runtime/client/kube-client.ts";
import { Resources } from "../../src/runtime/client/resource.ts";
import { LABEL_MODEL_DEPLOYMENT } from "../../src/controllers/modeldeployment/labels.ts";
import type { Progress } from "../agent/progress.ts";
import type { BenchCluster } from "./cluster.ts";
import { runCreatePhase, type CreatePhase } from "./create-phase.ts";
import type { OperatorBenchOptions } from "./flags.ts";
import { createNamespace, patchAll, patchModelDeployment, rolledOut } from "./model-deployments.ts";
import { ObjectWatch } from "./object-watch.ts";
import { OperatorProcess, requestDelta, writesOf } from "../../test/support/operator-process.ts";
import { compileOperator } from "./compiled.ts";
import { operatorNodeFlags } from "./operator-flags.ts";
import { perItem, spread, sum, type Spread } from "./stats.ts";
import { BENCH_NAMESPACE, benchName, newVersionPatch } from "./workload.ts";

/** After all are Ready, how long the operator may keep finishing up before steady state is measured. */
const SETTLE_MS = 15_000;
const MB = 1e6;

export interface OperatorPhase {
  readonly create: CreatePhase;
  /** API requests per ModelDeployment from the first create to all Ready, by verb. */
  readonly requestsPerModel: Record<string, number>;
  readonly requestsPerModelTotal: number;
  readonly reconcilesPerModel: number;
  readonly settleWrites: number;
  readonly steadyWritesPerMinute: number;
  readonly steadyRequestsPerMinute: Record<string, number>;
  readonly rssMB: { readonly atAllReady: number; readonly afterSteady: number; readonly peak: number; readonly idle: number };
  /** V8 heap in use / reserved, MB, at all Ready and after steady state (what RSS is made of). */
  readonly heapMB: { readonly usedAtAllReady: number; readonly totalAtAllReady: number; readonly usedAfterSteady: number; readonly totalAfterSteady: number };
  readonly cpuSeconds: { readonly create: number; readonly steadyPerMinute: number };
  readonly change: Spread | undefined;
  readonly rollout: { readonly count: number; readonly allSeconds: number; readonly perModel: Spread; readonly requestsPerModel: Record<string, number> } | undefined;
}

export async function runOperatorPhase(cluster: BenchCluster, o: OperatorBenchOptions, workDir: string, progress: Progress): Promise<OperatorPhase> {
  await createNamespace(cluster.client);
  const compiled = await compileOperator();
  progress(`[operator] compiled src/ to JavaScript as the image does (${compiled.script})`);
  const operator = await OperatorProcess.start(cluster.plane.kubeconfigPath, o, join(workDir, "operator.log"), {
    script: compiled.script,
    nodeFlags: operatorNodeFlags().split(" ").filter(Boolean),
    logLevel: process.env.MDO_BENCH_OPERATOR_LOG_LEVEL ?? "warn",
    reap: true,
  });
  try {
    const idle = operator.usage();
    progress(`[operator] started (pid ${operator.pid}), RSS ${(idle.rssBytes / MB).toFixed(0)} MB before any ModelDeployment`);
    const c0 = await operator.counters();
    const u0 = operator.usage();
    const { phase: create, watch } = await runCreatePhase(cluster.client, o.count, progress, "operator", () => `, operator RSS ${(operator.usage().rssBytes / MB).toFixed(0)} MB`);
    const c1 = await operator.counters();
    const u1 = operator.usage();
    const requests = requestDelta(c0, c1);

    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const c2 = await operator.counters();
    const u2 = operator.usage();
    progress(`[operator] steady state: counting writes for ${o.steadySeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, o.steadySeconds * 1000));
    const c3 = await operator.counters();
    const u3 = operator.usage();
    const steady = requestDelta(c2, c3);
    const minutes = o.steadySeconds / 60;

    const deployments = new ObjectWatch<V1Deployment & KubeObject>(cluster.client, Resources.deployments, BENCH_NAMESPACE, (d) => d.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT]);
    await deployments.start();
    let change: Spread | undefined;
    if (o.changes > 0) {
      progress(`[operator] ${o.changes} spec changes (replicas 1 → 2), one at a time`);
      const latencies: number[] = [];
      for (let i = 0; i < o.changes; i++) {
        const name = benchName(i);
        const scaled = deployments.when(name, (d) => d.spec?.replicas === 2);
        const sent = performance.now();
        await patchModelDeployment(cluster.client, name, { spec: { replicas: 2 } });
        latencies.push((await scaled) - sent);
      }
      change = spread(latencies.map((ms) => ms / 1000));
      progress(`[operator] change → Deployment updated: p50 ${(change.p50 * 1000).toFixed(0)} ms, p99 ${(change.p99 * 1000).toFixed(0)} ms`);
    }

    let rollout: OperatorPhase["rollout"];
    if (o.rollouts > 0) {
      const names = Array.from({ length: o.rollouts }, (_, i) => benchName(o.changes + i));
      progress(`[operator] rolling out v2 to ${names.length} ModelDeployments at once`);
      const c4 = await operator.counters();
      const sent = new Map<string, number>();
      const done = Promise.all(names.map(async (name) => [name, await watch.when(name, rolledOut("v2"))] as const));
      const started = performance.now();
      await patchAll(cluster.client, names, (name) => newVersionPatch(name, "v2"), (name, at) => sent.set(name, at));
      const finished = await done;
      const c5 = await operator.counters();
      rollout = {
        count: names.length,
        allSeconds: (Math.max(...finished.map(([, at]) => at)) - started) / 1000,
        perModel: spread(finished.map(([name, at]) => (at - sent.get(name)!) / 1000)),
        requestsPerModel: perItem(requestDelta(c4, c5), names.length),
      };
      progress(`[operator] ${names.length} rollouts done in ${rollout.allSeconds.toFixed(1)} s`);
    }
    await deployments.close();
    await watch.close();
    const hwm = operator.usage().hwmBytes;
    return {
      create,
      requestsPerModel: perItem(requests, o.count),
      requestsPerModelTotal: Math.round((sum(requests) / o.count) * 100) / 100,
      reconcilesPerModel: Math.round(((c1.reconciles - c0.reconciles) / o.count) * 100) / 100,
      settleWrites: writesOf(requestDelta(c1, c2)),
      steadyWritesPerMinute: writesOf(steady) / minutes,
      steadyRequestsPerMinute: perItem(steady, minutes),
      rssMB: { idle: Math.round(idle.rssBytes / MB), atAllReady: Math.round(u1.rssBytes / MB), afterSteady: Math.round(u3.rssBytes / MB), peak: Math.round(hwm / MB) },
      heapMB: { usedAtAllReady: mb(c1.heapUsedBytes), totalAtAllReady: mb(c1.heapTotalBytes), usedAfterSteady: mb(c3.heapUsedBytes), totalAfterSteady: mb(c3.heapTotalBytes) },
      cpuSeconds: { create: round2(u1.cpuSeconds - u0.cpuSeconds), steadyPerMinute: round2((u3.cpuSeconds - u2.cpuSeconds) / minutes) },
      change, rollout,
    };
  } finally {
    await operator.stop();
    await compiled.remove();
  }
}

function mb(bytes: number): number {
  return Math.round(bytes / MB);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
