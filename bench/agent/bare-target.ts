// The bare Node.js proxies (bare-undici.ts, bare-socket.ts) as targets: they show how much of the
// agent's cost is Node.js's HTTP machinery itself. bare-undici is in the default run, as the
// yardstick of the agent's CPU per request at saturation (verdicts.ts).
import { join } from "node:path";
import { nodeChild } from "./child-process.ts";
import { READY_PATH } from "./synthetic.ts";
import type { RunningTarget } from "./target.ts";
import { waitForStatus } from "./wait-http.ts";

export async function startBareTarget(name: "bare-undici" | "bare-socket", upstreamPort: number): Promise<RunningTarget> {
  const child = nodeChild(`bare proxy (${name})`, join(import.meta.dirname, `${name}.ts`), [String(upstreamPort)]);
  try {
    const line = await child.nextJson(10_000);
    const port = typeof line === "object" && line !== null && "port" in line ? Number(line.port) : NaN;
    if (!Number.isInteger(port)) throw new Error(`The bare proxy printed no port: ${JSON.stringify(line)}`);
    const origin = `http://127.0.0.1:${port}`;
    await waitForStatus(`${origin}${READY_PATH}`, 200, 5000);
    return { name, origin, proxyPids: () => [child.pid], inspect: () => Promise.resolve({}), stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
