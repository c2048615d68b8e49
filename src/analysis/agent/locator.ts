// Where the agents of a revision are: one metrics base URL per ready pod of the revision.

/** One agent: its pod and the base URL of its metrics port (no trailing slash). */
export interface AgentEndpoint {
  readonly pod: string;
  readonly url: string;
}

/**
 * Finds the ready agents of `revision` of ModelDeployment `namespace/name`. An empty list means
 * there are none (the revision has no ready pod). Throws LocatorError when it cannot tell (the
 * Kubernetes API failed).
 */
export interface AgentLocator {
  locate(namespace: string, name: string, revision: string, signal?: AbortSignal): Promise<AgentEndpoint[]>;
}
