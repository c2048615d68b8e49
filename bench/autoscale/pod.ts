// One simulated model pod, started cold: a fresh MLServer process that loads the trained iris
// model from scratch and, by default, the MDO agent in front of it (in a cluster the activator
// forwards to the pod's agent). Both start at once, as a pod's containers do, on ports of their
// own (a new pod has a new address), detached in their own process groups and recorded in the
// repository's pid file so the reaper ends them if the benchmark dies.
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { freePorts } from "../../src/sandbox/ports.ts";
import { startProcess, stopProcessGroups, writePidFile, type ManagedProcess } from "../../src/sandbox/processes.ts";
import { agentConfig } from "../../test/integration/agent/support/agent-fixture.ts";
import { MODEL_NAME, MODEL_READY_PATH, writeServerPorts, type IrisRepository } from "./iris-model.ts";

const MDO = resolve(import.meta.dirname, "../../src/cmd/mdo.ts");

export interface Pod {
  /** What the activator forwards to: the agent's origin, or MLServer's without the agent. */
  readonly backendUrl: string;
  /** The backend's readiness: the agent's /readyz, or MLServer's model readiness. */
  readonly backendReadyUrl: string;
  /** MLServer's own model readiness (the agent probes it, caching each answer for 1 s). */
  readonly modelReadyUrl: string;
  readonly modelUrl: string;
  readonly pids: readonly number[];
  /** Settles when any of the pod's processes exited, with which and why. */
  readonly exited: Promise<string>;
  /** SIGTERM to every process group, SIGKILL after 5 s; resolves when all have gone. */
  stop(): Promise<void>;
}

export async function startPod(repo: IrisRepository, withAgent: boolean, name: string): Promise<Pod> {
  const [http = 0, grpc = 0] = await freePorts(2);
  await writeServerPorts(repo, http, grpc);
  const modelUrl = `http://127.0.0.1:${http}`;
  // Variables MLSERVER_* of the caller would override settings.json: dropped, as the tests do.
  const unset = Object.keys(process.env).filter((k) => k.startsWith("MLSERVER_")).flatMap((k) => ["-u", k]);
  const processes: ManagedProcess[] = [
    startProcess(`${name}-mlserver`, "env", [...unset, "-C", repo.dir, "PYTHONUNBUFFERED=1", join(repo.envDir, "bin/mlserver"), "start", repo.dir], repo.dir),
  ];
  let backendUrl = modelUrl;
  let backendReadyUrl = `${modelUrl}${MODEL_READY_PATH}`;
  if (withAgent) {
    const config = await agentConfig(http, {
      model: { name: MODEL_NAME, version: "1" },
      upstream: { host: "127.0.0.1", port: http, readinessPath: MODEL_READY_PATH, livenessPath: "/v2/health/live" },
      limits: { maxRequestBytes: 64 * 1024, timeoutMs: 10_000 },
    });
    const configFile = join(repo.dir, `${name}-agent.json`);
    await writeFile(configFile, JSON.stringify(config, null, 2));
    processes.push(startProcess(`${name}-agent`, process.execPath, [MDO, "agent", "--config", configFile, "--log-level", "warn"], repo.dir));
    backendUrl = `http://127.0.0.1:${config.listen.port}`;
    backendReadyUrl = `${backendUrl}/readyz`;
  }
  const pids = processes.map((p) => p.pid);
  await writePidFile(repo.dir, pids);
  return {
    backendUrl,
    backendReadyUrl,
    modelReadyUrl: `${modelUrl}${MODEL_READY_PATH}`,
    modelUrl,
    pids,
    exited: Promise.race(processes.map((p) => p.exited.then((why) => `${p.name} exited (${String(why)}); its log: ${p.logFile}`))),
    stop: async () => {
      await stopProcessGroups(pids, 5000);
      await writePidFile(repo.dir, []);
    },
  };
}
