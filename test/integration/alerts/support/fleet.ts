// Real MDO agents (in this process, as the agent tests run them) in front of real MLServers, each
// playing one model of the alert tests, plus the traffic that drives them.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startAgent } from "../../../../src/agent/agent.ts";
import type { AgentConfig } from "../../../../src/agent/config.ts";
import { driftHookFor } from "../../../../src/agent/drift.ts";
import { buildBaseline } from "../../../../src/drift/index.ts";
import { realClock } from "../../../../src/runtime/clock.ts";
import { createLogger } from "../../../../src/runtime/logging.ts";
import { IRIS_FEATURES, irisRows } from "../../../support/iris-data.ts";
import { agentConfig } from "../../agent/support/agent-fixture.ts";

export type RunningAgent = Awaited<ReturnType<typeof startAgent>>;

export const API_KEY = "alerts-test-key";
/** Rows per drift window of the agents that test drift. */
export const DRIFT_WINDOW = 300;

export interface AgentSpec {
  /** The ModelDeployment's name: the agent's `model` label. */
  model: string;
  revision: string;
  upstreamPort: number;
  /** Give the agent a drift baseline of baseline-like iris rows. */
  drift?: boolean;
  overrides?: Partial<AgentConfig>;
}

/** Starts one agent (iris model name upstream, readiness on the model); stop() it after. */
export async function startModelAgent(spec: AgentSpec): Promise<RunningAgent> {
  const config = await agentConfig(spec.upstreamPort, {
    revision: spec.revision,
    model: { name: spec.model, version: "v1" },
    upstream: { host: "127.0.0.1", port: spec.upstreamPort, readinessPath: "/v2/models/iris/ready", livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 256 * 1024, timeoutMs: 10_000 },
    ...spec.overrides,
  });
  const drift = spec.drift === true
    ? driftHookFor(buildBaseline(irisRows(5000, 1), { columns: IRIS_FEATURES, bins: 10 }), DRIFT_WINDOW, realClock)
    : undefined;
  return startAgent(config, { logger: createLogger({ level: "error" }), processMetrics: false, ...(drift !== undefined && { drift }) });
}

/** Writes a file holding API_KEY into `dir`, for `auth.apiKeyFile`; returns its path. */
export async function apiKeyFile(dir: string): Promise<string> {
  await writeFile(join(dir, "keys"), `${API_KEY}\n`);
  return join(dir, "keys");
}

/** POSTs a v2 inference body through `agent`; resolves with the HTTP status. */
export async function infer(agent: RunningAgent, body: unknown, signal: AbortSignal, key = API_KEY): Promise<number> {
  const res = await fetch(`${agent.url}/v2/models/iris/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
    signal,
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Calls `send(i)` (i = 0, 1, …) in `lanes` concurrent loops, `pauseMs` apart per loop, until
 * `signal` aborts; resolves with the statuses seen, by status. A request cut by the abort is
 * not counted; any other failure rejects.
 */
export async function drive(send: (i: number, signal: AbortSignal) => Promise<number>, signal: AbortSignal, options: { lanes?: number; pauseMs?: number } = {}): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const status = await send(next++, signal);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 50));
    }
  };
  await Promise.all(Array.from({ length: options.lanes ?? 1 }, lane));
  return statuses;
}
