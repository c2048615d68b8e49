// N ModelDeployments created at once, each watched until Ready: what both the operator and the
// floor are measured on.
import type { KubeClient } from "../../src/runtime/client/kube-client.ts";
import { MODEL_DEPLOYMENTS, type ModelDeploymentObject } from "../../src/controllers/modeldeployment/resource.ts";
import type { Progress } from "../agent/progress.ts";
import { createAll, isReady } from "./model-deployments.ts";
import { ObjectWatch } from "./object-watch.ts";
import { spread, type Spread } from "./stats.ts";
import { BENCH_NAMESPACE, benchName } from "./workload.ts";

export interface CreatePhase {
  /** From the first create sent to the last ModelDeployment Ready, seconds. */
  readonly allReadySeconds: number;
  /** Each ModelDeployment's create answered → Ready, seconds. */
  readonly createToReady: Spread;
  /** How many were Ready at 25, 50 and 75% of allReadySeconds (a FIFO makes these small). */
  readonly readyAtQuarters: readonly number[];
  /** Seconds to send all creates. */
  readonly createSeconds: number;
}

export async function runCreatePhase(client: KubeClient, count: number, progress: Progress, label: string, extra: () => string = () => ""): Promise<{ phase: CreatePhase; watch: ObjectWatch<ModelDeploymentObject> }> {
  const watch = new ObjectWatch<ModelDeploymentObject>(client, MODEL_DEPLOYMENTS, BENCH_NAMESPACE, (md) => md.metadata?.name);
  await watch.start();
  const names = Array.from({ length: count }, (_, i) => benchName(i));
  const created = new Map<string, number>();
  const ready = new Map<string, number>();
  const allReady = Promise.all(names.map(async (name) => ready.set(name, await watch.when(name, isReady))));
  const started = performance.now();
  const ticker = setInterval(() => progress(`[${label}] ${created.size}/${count} created, ${ready.size} Ready${extra()}`), 10_000);
  try {
    await createAll(client, names, (name, at) => created.set(name, at));
    const createSeconds = (performance.now() - started) / 1000;
    progress(`[${label}] ${count} ModelDeployments created in ${createSeconds.toFixed(1)} s`);
    await allReady;
    const readyTimes = [...ready.values()].map((t) => (t - started) / 1000);
    const allReadySeconds = Math.max(...readyTimes);
    const phase: CreatePhase = {
      allReadySeconds,
      createToReady: spread(names.map((n) => Math.max(0, (ready.get(n)! - created.get(n)!) / 1000))),
      readyAtQuarters: [0.25, 0.5, 0.75].map((q) => readyTimes.filter((t) => t <= q * allReadySeconds).length),
      createSeconds,
    };
    progress(`[${label}] all ${count} Ready after ${allReadySeconds.toFixed(1)} s`);
    return { phase, watch };
  } finally {
    clearInterval(ticker);
  }
}
