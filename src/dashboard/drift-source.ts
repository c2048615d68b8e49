// Gathers what the drift panel needs for one ModelDeployment: its baseline ConfigMap, and the live
// counts of the revision status.drift describes (else the stable one). Never throws for missing
// pieces: each becomes a note the page shows, so a panel says what it could not read.
import type { V1ConfigMap } from "@kubernetes/client-node";
import type { ModelDeploymentObject } from "../controllers/modeldeployment/resource.ts";
import { parseBaseline, type Baseline } from "../drift/baseline.ts";
import type { KubeClient, KubeObject } from "../runtime/client/kube-client.ts";
import { Resources } from "../runtime/client/resource.ts";
import { describeError } from "../runtime/errors.ts";
import { driftViewOf, type DriftView } from "./drift-view.ts";
import { liveCounts, revisionPods, type DriftFetcher, type LiveCounts } from "./live-drift.ts";

export interface DriftSourceOptions {
  client: KubeClient;
  fetcher: DriftFetcher;
  /** The agents' metrics port (the operator's agentMetricsPort, 9090 by default). */
  agentPort: number;
}

export async function driftOf(md: ModelDeploymentObject, options: DriftSourceOptions, signal: AbortSignal): Promise<DriftView> {
  const notes: string[] = [];
  const namespace = md.metadata?.namespace ?? "";
  const name = md.metadata?.name ?? "";
  const ref = md.spec.monitoring?.drift?.baselineRef;
  if (ref === undefined) return driftViewOf(md, undefined, undefined, ["Drift is not monitored: spec.monitoring.drift names no baseline."]);
  let baseline: Baseline | undefined;
  try {
    const configMap = await options.client.withSignal(signal).get<V1ConfigMap & KubeObject>(Resources.configMaps, namespace, ref.configMapName);
    const text = configMap?.data?.[ref.key];
    if (configMap === null) notes.push(`The baseline ConfigMap ${namespace}/${ref.configMapName} does not exist.`);
    else if (text === undefined) notes.push(`The baseline ConfigMap ${namespace}/${ref.configMapName} has no key ${ref.key}.`);
    else baseline = parseBaseline(text);
  } catch (error) {
    notes.push(`Read no baseline from ConfigMap ${namespace}/${ref.configMapName}: ${describeError(error)}`);
  }
  const revision = md.status?.drift?.revision ?? md.status?.stable?.revision;
  let live: LiveCounts | undefined;
  if (revision === undefined) notes.push("No stable revision yet: no live window to show.");
  else {
    try {
      const pods = await revisionPods(options.client, namespace, name, revision, options.agentPort, signal);
      live = await liveCounts(pods, options.fetcher, signal);
      if (pods.length === 0) notes.push(`Revision ${revision} has no ready pod whose agent could report a live window.`);
      else if (live.reporting === 0) notes.push(`No agent of revision ${revision} has a complete drift window yet.`);
    } catch (error) {
      notes.push(`Listed no pods of revision ${revision}: ${describeError(error)}`);
    }
  }
  return driftViewOf(md, baseline, live, notes);
}
