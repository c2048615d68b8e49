// The MDO agent as its own process (`node src/cmd/mdo.ts agent --config …`, logging at warn) in
// front of the stand-in: no cache (every request must reach the model server), no auth, no
// concurrency limit; with `drift`, a 20-feature baseline and windows of 1000 requests.
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { agentConfig } from "../../test/integration/agent/support/agent-fixture.ts";
import { nodeChild } from "./child-process.ts";
import { writeBaseline } from "./drift-baseline.ts";
import { MODEL, READY_PATH } from "./synthetic.ts";
import type { RunningTarget } from "./target.ts";
import { waitForStatus } from "./wait-http.ts";

const MDO = resolve(import.meta.dirname, "../../src/cmd/mdo.ts");
export const DRIFT_WINDOW = 1000;

export interface AgentTargetOptions {
  readonly upstreamPort: number;
  /** Directory for the config and baseline files. */
  readonly workDir: string;
  readonly drift: boolean;
  /** Directory for a V8 CPU profile of the agent (node --cpu-prof), written when it stops. */
  readonly cpuProfileDir: string | undefined;
}

export async function startAgentTarget(options: AgentTargetOptions): Promise<RunningTarget> {
  const name = options.drift ? "agent-drift" : "agent";
  const baselineFile = join(options.workDir, "baseline.json");
  if (options.drift) await writeBaseline(baselineFile);
  const config = await agentConfig(options.upstreamPort, {
    model: { name: MODEL, version: "1" },
    upstream: { host: "127.0.0.1", port: options.upstreamPort, readinessPath: READY_PATH, livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 64 * 1024, timeoutMs: 10_000 },
    ...(options.drift && { drift: { baselineFile, window: DRIFT_WINDOW } }),
  });
  const configFile = join(options.workDir, `${name}.json`);
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const nodeFlags = options.cpuProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`];
  const child = nodeChild(`MDO agent (${name})`, MDO, ["agent", "--config", configFile, "--log-level", "warn"], { nodeFlags });
  const origin = `http://127.0.0.1:${config.listen.port}`;
  const metrics = `http://127.0.0.1:${config.listen.metricsPort}`;
  try {
    await waitForStatus(`${origin}/readyz`, 200, 15_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    name,
    origin,
    proxyPids: () => [child.pid],
    inspect: async () => (options.drift ? { drift: await driftSummary(metrics) } : {}),
    stop: () => child.stop(),
  };
}

/** Proof that drift was on: the agent's latest window report (GET /drift on the metrics port). */
async function driftSummary(metricsOrigin: string): Promise<Record<string, unknown>> {
  const answer = await fetch(`${metricsOrigin}/drift`);
  if (answer.status !== 200) throw new Error(`The drift-on agent has no drift report (GET /drift answered ${answer.status}): drift was not on`);
  const report = (await answer.json()) as { windowSamples?: unknown; features?: { name: string; psi: number }[] };
  const psi = (report.features ?? []).map((f) => f.psi);
  return { windowSamples: report.windowSamples, features: psi.length, maxPsi: psi.length === 0 ? null : Math.max(...psi) };
}
