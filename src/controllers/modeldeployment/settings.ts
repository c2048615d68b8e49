// Operator-wide settings the desired-state builders depend on (from flags/env, see src/cmd/).

export interface OperatorSettings {
  /** Image of the MDO agent sidecar (also runs `mdo fetch` as the model fetcher init container). */
  agentImage: string;
  /** Image that fetches the model into the pod before the server starts. */
  fetcherImage: string;
  /** Port the agent serves predictions on (the pod's public port). */
  agentPort: number;
  /** Port of the agent's Prometheus metrics. */
  agentMetricsPort: number;
}

export const DEFAULT_SETTINGS: OperatorSettings = {
  agentImage: "ghcr.io/mdo-dev/mdo:0.1.0",
  fetcherImage: "ghcr.io/mdo-dev/mdo:0.1.0",
  agentPort: 8080,
  agentMetricsPort: 9090,
};
