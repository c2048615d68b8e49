// What the benchmark measures through: the model server directly, or a proxy in front of it.

export const TARGET_NAMES = ["direct", "agent", "nginx", "agent-drift", "agent-shadow", "bare-undici", "bare-socket"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/**
 * What a run without --targets measures, in the order of their turns: the targets a verdict
 * compares run close together (drift on right after the agent). bare-undici is the yardstick of
 * the agent's CPU; bare-socket is only for investigating (a client for the stand-in alone).
 */
export const DEFAULT_TARGETS: readonly TargetName[] = ["direct", "agent", "agent-drift", "bare-undici", "agent-shadow", "nginx"];

export const TARGET_LABELS: Record<TargetName, string> = {
  direct: "direct (model server)",
  agent: "MDO agent",
  nginx: "nginx",
  "agent-drift": "MDO agent, drift on (20 features)",
  "agent-shadow": "MDO agent, every request mirrored to a candidate agent",
  "bare-undici": "bare Node.js proxy (node:http + undici)",
  "bare-socket": "bare Node.js proxy (node:http + net.Socket)",
};

export interface RunningTarget {
  readonly name: TargetName;
  /** http://127.0.0.1:port that load is sent to. */
  readonly origin: string;
  /** Processes whose CPU is the proxy's (the agent; nginx's master and workers); none for direct. */
  proxyPids(): number[];
  /** Facts checked after the load, recorded with the results (e.g. drift windows the agent closed). */
  inspect(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}
