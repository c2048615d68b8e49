// The MDO agent as its own process (`node src/cmd/mdo.ts agent --config …`, logging at warn) in
// front of the stand-in: no cache (every request must reach the model server), no auth, no
// concurrency limit; agent-drift: a 20-feature baseline and windows of 1000 requests;
// agent-shadow: every request also mirrored to a candidate (the stand-in again) and the answers
// compared.
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { AgentConfig } from "../../src/agent/config.ts";
import { agentConfig } from "../../test/integration/agent/support/agent-fixture.ts";
import { nodeChild } from "./child-process.ts";
import { writeBaseline } from "./drift-baseline.ts";
import { MODEL, READY_PATH } from "./synthetic.ts";
import type { RunningTarget } from "./target.ts";
import { waitForStatus } from "./wait-http.ts";

const MDO = resolve(import.meta.dirname, "../../src/cmd/mdo.ts");
export const DRIFT_WINDOW = 1000;

export interface AgentTargetOptions {
  readonly name: "agent" | "agent-drift" | "agent-shadow";
  readonly upstreamPort: number;
  /** Directory for the config and baseline files. */
  readonly workDir: string;
  /** Directory for a V8 CPU profile of the agent (node --cpu-prof), written when it stops. */
  readonly cpuProfileDir: string | undefined;
}

export async function startAgentTarget(options: AgentTargetOptions): Promise<RunningTarget> {
  const { name } = options;
  const baselineFile = join(options.workDir, "baseline.json");
  if (name === "agent-drift") await writeBaseline(baselineFile);
  // The candidate is the stand-in itself: in a cluster the candidate revision runs in other pods,
  // so its own agent's CPU is no cost of this agent's; the stand-in answering twice as many
  // requests on these two cores still is.
  const shadow = name !== "agent-shadow" ? {} : {
    shadow: { candidate: "candidate", url: `http://127.0.0.1:${options.upstreamPort}`, sampleRate: 1, maxInFlight: 256, timeoutMs: 10_000, comparison: { mode: "numeric" as const } },
  };
  const target = await startAgentProcess(options, name, name === "agent-drift" ? { drift: { baselineFile, window: DRIFT_WINDOW } } : shadow);
  return {
    name,
    origin: target.origin,
    proxyPids: () => [target.pid],
    inspect: async () => (name === "agent-drift" ? { drift: await driftSummary(target.metrics) } : name === "agent-shadow" ? { shadow: await shadowSummary(target.metrics) } : {}),
    stop: () => target.stop(),
  };
}

interface AgentProcess {
  readonly origin: string;
  readonly metrics: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startAgentProcess(options: AgentTargetOptions, label: string, extra: Partial<AgentConfig>): Promise<AgentProcess> {
  const config = await agentConfig(options.upstreamPort, {
    model: { name: MODEL, version: "1" },
    upstream: { host: "127.0.0.1", port: options.upstreamPort, readinessPath: READY_PATH, livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 64 * 1024, timeoutMs: 10_000 },
    ...extra,
  });
  const configFile = join(options.workDir, `${label}.json`);
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const profiled = options.cpuProfileDir !== undefined && label === options.name;
  const nodeFlags = profiled ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${label}.cpuprofile`] : [];
  const child = nodeChild(`MDO agent (${label})`, MDO, ["agent", "--config", configFile, "--log-level", "warn"], { nodeFlags });
  const origin = `http://127.0.0.1:${config.listen.port}`;
  try {
    await waitForStatus(`${origin}/readyz`, 200, 15_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { origin, metrics: `http://127.0.0.1:${config.listen.metricsPort}`, pid: child.pid, stop: () => child.stop() };
}

/** Proof that mirroring was on: what the agent counted (every request compared, none dropped). */
async function shadowSummary(metricsOrigin: string): Promise<Record<string, unknown>> {
  const text = await (await fetch(`${metricsOrigin}/metrics`)).text();
  const counted = (result: string): number => Number(new RegExp(`^mdo_agent_shadow_requests_total\\{[^}]*result="${result}"[^}]*\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
  const compared = counted("compared");
  if (compared === 0) throw new Error("The shadow agent compared no mirrored request: mirroring was not on");
  const rows = Number(/^mdo_agent_shadow_rows_total\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0);
  const agreeing = Number(/^mdo_agent_shadow_agreeing_rows_total\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0);
  return { compared, dropped: counted("dropped"), candidateErrors: counted("candidate_error"), incomparable: counted("incomparable"), agreement: rows === 0 ? null : agreeing / rows };
}

/** Proof that drift was on: the agent's latest window report (GET /drift on the metrics port). */
async function driftSummary(metricsOrigin: string): Promise<Record<string, unknown>> {
  const answer = await fetch(`${metricsOrigin}/drift`);
  if (answer.status !== 200) throw new Error(`The drift-on agent has no drift report (GET /drift answered ${answer.status}): drift was not on`);
  const report = (await answer.json()) as { windowSamples?: unknown; features?: { name: string; psi: number }[] };
  const psi = (report.features ?? []).map((f) => f.psi);
  return { windowSamples: report.windowSamples, features: psi.length, maxPsi: psi.length === 0 ? null : Math.max(...psi) };
}
