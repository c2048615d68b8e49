// The floor measured: the same N ModelDeployments created at once, their children made by the
// minimal controller of floor.ts at the same QPS.
import type { Progress } from "../agent/progress.ts";
import type { BenchCluster } from "./cluster.ts";
import { runCreatePhase, type CreatePhase } from "./create-phase.ts";
import type { OperatorBenchOptions } from "./flags.ts";
import { startFloor } from "./floor.ts";
import { createNamespace } from "./model-deployments.ts";
import { perItem, sum } from "./stats.ts";

export interface FloorPhase {
  readonly create: CreatePhase;
  readonly requestsPerModel: Record<string, number>;
  readonly requestsPerModelTotal: number;
}

export async function runFloorPhase(cluster: BenchCluster, o: OperatorBenchOptions, progress: Progress): Promise<FloorPhase> {
  await createNamespace(cluster.client);
  const floor = await startFloor(cluster.plane.kubeconfigPath, o);
  try {
    const before = { ...floor.requests };
    const { phase: create, watch } = await runCreatePhase(cluster.client, o.count, progress, "floor");
    await watch.close();
    if (floor.failures.length > 0) throw new Error(`The floor client failed ${floor.failures.length} times, first: ${floor.failures[0]}`);
    const requests = Object.fromEntries(Object.entries(floor.requests).map(([verb, n]) => [verb, n - (before[verb] ?? 0)]));
    return { create, requestsPerModel: perItem(requests, o.count), requestsPerModelTotal: Math.round((sum(requests) / o.count) * 100) / 100 };
  } finally {
    await floor.close();
  }
}
