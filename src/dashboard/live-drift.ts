// The live side of the drift histograms: each pod's agent serves its latest window's bin counts at
// GET /drift on the metrics port (docs/drift.md); status keeps only per-feature PSI and p-values.
// The dashboard reads every ready pod of the stable revision and pools their counts, as the
// operator does before it tests.
import type { V1Pod } from "@kubernetes/client-node";
import { AgentDriftReport, fetchDrift } from "../analysis/agent/scrape.ts";
import { LABEL_MODEL_DEPLOYMENT, LABEL_REVISION } from "../controllers/modeldeployment/labels.ts";
import { ApiError } from "../runtime/client/api-error.ts";
import type { KubeClient, KubeObject } from "../runtime/client/kube-client.ts";
import { Resources } from "../runtime/client/resource.ts";
import { describeError } from "../runtime/errors.ts";
import { parseJsonWith } from "../runtime/parse-with.ts";

/** A pod whose agent to ask. */
export interface AgentPod {
  namespace: string;
  pod: string;
  ip: string;
  port: number;
}

/** Reads one agent's report: undefined when it has none yet (404). Throws DashboardDriftError. */
export type DriftFetcher = (pod: AgentPod, signal: AbortSignal) => Promise<AgentDriftReport | undefined>;

export class DashboardDriftError extends Error {
  override readonly name = "DashboardDriftError";
}

/** The pooled live counts of a revision, per feature name (the prediction under its profile's name). */
export interface LiveCounts {
  pods: number;
  /** Pods that answered with a report. */
  reporting: number;
  windowSamples: number;
  features: Map<string, number[]>;
  /** Per pod that failed: why. */
  errors: string[];
}

/** Straight to the pod IP (in the cluster); `address` maps a pod to another base URL (tests). */
export function directFetcher(address: (pod: AgentPod) => string = (p) => `http://${p.ip.includes(":") ? `[${p.ip}]` : p.ip}:${p.port}`): DriftFetcher {
  return async (pod, signal) => {
    try {
      return await fetchDrift({ pod: pod.pod, url: address(pod) }, { timeoutMs: 5000, signal });
    } catch (error) {
      throw new DashboardDriftError(`Read no drift report from pod ${pod.pod}: ${describeError(error)}`, { cause: error });
    }
  };
}

/** Through the API server's pod proxy (from outside the cluster; needs get on pods/proxy). */
export function apiServerProxyFetcher(client: KubeClient): DriftFetcher {
  return async (pod, signal) => {
    const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(`${pod.pod}:${pod.port}`)}/proxy/drift`;
    let text: string;
    try {
      text = await client.transport.text({ verb: "GET", path, signal });
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound) return undefined;
      throw new DashboardDriftError(`Read no drift report from pod ${pod.pod} through the API server: ${describeError(error)}`, { cause: error });
    }
    return parseJsonWith(AgentDriftReport, text, `drift report of pod ${pod.pod}`, (message, cause) => new DashboardDriftError(message, { cause }));
  };
}

/** Ready, not terminating pods of `revision` with an IP. */
export async function revisionPods(client: KubeClient, namespace: string, name: string, revision: string, port: number, signal: AbortSignal): Promise<AgentPod[]> {
  const page = await client.list<V1Pod & KubeObject>(Resources.pods, {
    namespace, labelSelector: `${LABEL_MODEL_DEPLOYMENT}=${name},${LABEL_REVISION}=${revision}`, signal,
  });
  return page.items
    .filter((p) => p.metadata?.deletionTimestamp === undefined && p.status?.podIP !== undefined
      && (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"))
    .map((p) => ({ namespace, pod: p.metadata?.name ?? "", ip: p.status?.podIP ?? "", port }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

/** Asks every pod's agent and sums their counts per feature; a pod that fails is named in `errors`. */
export async function liveCounts(pods: readonly AgentPod[], fetcher: DriftFetcher, signal: AbortSignal): Promise<LiveCounts> {
  const answers = await Promise.allSettled(pods.map((p) => fetcher(p, signal)));
  const live: LiveCounts = { pods: pods.length, reporting: 0, windowSamples: 0, features: new Map(), errors: [] };
  for (const answer of answers) {
    if (answer.status === "rejected") {
      live.errors.push(describeError(answer.reason));
      continue;
    }
    const report = answer.value;
    if (report === undefined) continue;
    live.reporting++;
    live.windowSamples += report.windowSamples;
    for (const f of [...report.features, ...(report.prediction === undefined ? [] : [report.prediction])]) {
      if (f.counts === undefined) continue;
      const sum = live.features.get(f.name);
      if (sum === undefined) live.features.set(f.name, [...f.counts]);
      else if (sum.length === f.counts.length) f.counts.forEach((c, i) => (sum[i] = (sum[i] ?? 0) + c));
      else live.errors.push(`Pods report ${sum.length} and ${f.counts.length} bins for feature ${f.name}`);
    }
  }
  return live;
}
