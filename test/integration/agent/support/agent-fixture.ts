// Agent configurations and helpers shared by the agent's tests.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { AgentConfig } from "../../../../src/agent/config.ts";
import { validateAgentConfig } from "../../../../src/agent/config.ts";

/** A port free right now on 127.0.0.1 (the config schema has no "any port"). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A valid config in front of `upstreamPort`, with `overrides` merged at the top level. */
export async function agentConfig(upstreamPort: number, overrides: Partial<AgentConfig> = {}): Promise<AgentConfig> {
  const port = await freePort();
  let metricsPort = await freePort();
  while (metricsPort === port) metricsPort = await freePort();
  return validateAgentConfig({
    revision: "abc123",
    model: { name: "iris", version: "v1" },
    protocol: "v2",
    listen: { host: "127.0.0.1", port, metricsPort },
    upstream: { host: "127.0.0.1", port: upstreamPort, readinessPath: "/v2/health/ready", livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 64 * 1024, timeoutMs: 2000 },
    logPayloads: false,
    ...overrides,
  });
}

/** A v2 inference request body with one FP64 tensor. */
export function inferBody(data: number[]): string {
  return JSON.stringify({ inputs: [{ name: "x", shape: [data.length], datatype: "FP64", data }] });
}

/** The value of one sample in Prometheus text, or undefined. `labels` must all match. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (matches) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}
