// Where a revision's agents are, from the pod cache alone: the autoscaler asks every 2 s for every
// revision it sizes, which must cost the API server nothing (the analyzer's EndpointSlice lookup
// lists slices on each call).
import type { V1Pod } from "@kubernetes/client-node";
import type { AgentEndpoint, AgentLocator } from "../../analysis/agent/locator.ts";
import { podAddress, type PodEndpoint } from "../../analysis/agent/endpoint-slice-locator.ts";
import { LABEL_MODEL_DEPLOYMENT, LABEL_REVISION } from "./labels.ts";

export interface PodAgentLocatorOptions {
  /** The cached pods (only pods MDO labelled are cached). */
  readonly pods: () => readonly V1Pod[];
  /** The agents' metrics port (settings.agentMetricsPort). */
  readonly port: number;
  /** Turns a pod endpoint into the agent's base URL (default: pod IP and port; tests map to 127.0.0.1). */
  readonly address?: (endpoint: PodEndpoint, revision: string) => string;
}

/** Ready, not terminating pods of the revision that have an IP, sorted by name; one agent per URL. */
export function podAgentLocator(options: PodAgentLocatorOptions): AgentLocator {
  return {
    locate: (namespace, name, revision): Promise<AgentEndpoint[]> => {
      const address = options.address ?? podAddress;
      const byUrl = new Map<string, AgentEndpoint>();
      const pods = options.pods().filter((p) => {
        const labels = p.metadata?.labels ?? {};
        return p.metadata?.namespace === namespace && labels[LABEL_MODEL_DEPLOYMENT] === name && labels[LABEL_REVISION] === revision
          && p.metadata.deletionTimestamp === undefined && p.status?.podIP !== undefined
          && (p.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
      });
      for (const p of pods.sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""))) {
        const pod = p.metadata?.name ?? "";
        const url = address({ namespace, pod, ip: p.status?.podIP ?? "", port: options.port }, revision);
        if (!byUrl.has(url)) byUrl.set(url, { pod, url });
      }
      return Promise.resolve([...byUrl.values()]);
    },
  };
}
