// Starts the model-server stand-in (upstream-server.ts) as a child process.
import { join } from "node:path";
import { nodeChild, type Child } from "./child-process.ts";
import { READY_PATH } from "./synthetic.ts";
import type { RunningTarget } from "./target.ts";
import { waitForStatus } from "./wait-http.ts";

export interface Upstream {
  readonly port: number;
  readonly origin: string;
  readonly process: Child;
}

export async function startUpstream(): Promise<Upstream> {
  const child = nodeChild("model-server stand-in", join(import.meta.dirname, "upstream-server.ts"), []);
  try {
    const line = await child.nextJson(10_000);
    const port = typeof line === "object" && line !== null && "port" in line ? Number(line.port) : NaN;
    if (!Number.isInteger(port)) throw new Error(`The model-server stand-in printed no port: ${JSON.stringify(line)}`);
    const origin = `http://127.0.0.1:${port}`;
    await waitForStatus(`${origin}${READY_PATH}`, 200, 5000);
    return { port, origin, process: child };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** The direct target: the load goes to the model server itself; there is no proxy CPU. */
export function directTarget(upstream: Upstream): RunningTarget {
  return {
    name: "direct",
    origin: upstream.origin,
    proxyPids: () => [],
    inspect: () => Promise.resolve({}),
    stop: () => Promise.resolve(),
  };
}
