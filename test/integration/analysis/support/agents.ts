// Real `mdo agent` processes on 127.0.0.1 for the analysis tests, and a small model-server
// stand-in that fails a known fraction of inference requests. Agents run detached in their own
// process group with a reaper (src/sandbox/processes.ts), so none outlives the test process.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentConfig } from "../../../../src/agent/config.ts";
import { waitForHealthy } from "../../../../src/sandbox/http-probe.ts";
import { removePidFile, startProcess, startReaper, stopProcessGroups, writePidFile } from "../../../../src/sandbox/processes.ts";
import { agentConfig } from "../../agent/support/agent-fixture.ts";

const ROOT = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));

export interface AgentProcess {
  readonly pod: string;
  /** The serving port's base URL. */
  readonly url: string;
  /** The metrics port's base URL (/metrics, /drift). */
  readonly metricsUrl: string;
  /** host:port of the metrics port, for Prometheus targets. */
  readonly metricsAddress: string;
  /** What the agent logged so far (warnings and errors; `--log-level=warn`). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts `node src/cmd/mdo.ts agent` in front of `upstreamPort`; resolves once /readyz answers 200. */
export async function startAgentProcess(pod: string, upstreamPort: number, overrides: Partial<AgentConfig>): Promise<AgentProcess> {
  const config = await agentConfig(upstreamPort, overrides);
  const dir = await mkdtemp(join(tmpdir(), "mdo-analysis-agent-"));
  await writeFile(join(dir, "config.json"), JSON.stringify(config));
  await writePidFile(dir, []);
  startReaper(process.pid, dir);
  const child = startProcess("agent", "env", ["-C", ROOT, process.execPath, "src/cmd/mdo.ts", "agent", `--config=${join(dir, "config.json")}`, "--log-level=warn"], dir);
  await writePidFile(dir, [child.pid]);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await removePidFile(dir);
    await stopProcessGroups([child.pid], 10_000);
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${config.listen.port}`;
  try {
    const exited = child.exited.then(async (why) => `${String(why)}; log:\n${await readFile(child.logFile, "utf8").catch(() => "")}`);
    await waitForHealthy(`agent ${pod}`, { url: `${url}/readyz` }, 30_000, exited);
  } catch (error) {
    await stop();
    throw error;
  }
  const metricsAddress = `127.0.0.1:${config.listen.metricsPort}`;
  const log = (): Promise<string> => readFile(child.logFile, "utf8").catch((error: unknown) => `(no log: ${String(error)})`);
  return { pod, url, metricsUrl: `http://${metricsAddress}`, metricsAddress, log, stop };
}

/**
 * A v2 model server stand-in: health paths answer 200; every `failEvery`-th inference request
 * answers 500, the others 200, each after `delayMs`.
 */
export class FailingModelServer {
  inferences = 0;
  private server: Server | undefined;
  port = 0;
  private readonly failEvery: number;
  private readonly delayMs: number;

  constructor(failEvery: number, delayMs: number) {
    this.failEvery = failEvery;
    this.delayMs = delayMs;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.method !== "POST") {
          res.writeHead(200, { "content-type": "application/json" }).end("{}");
          return;
        }
        const n = ++this.inferences;
        setTimeout(() => {
          const failed = n % this.failEvery === 0;
          res.writeHead(failed ? 500 : 200, { "content-type": "application/json" });
          res.end(JSON.stringify(failed ? { error: "model failed" } : { outputs: [{ name: "y", shape: [1], datatype: "FP64", data: [1] }] }));
        }, this.delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Sends `count` POSTs of `body` to `url` with `concurrency` in flight; returns the status counts. */
export async function sendRequests(url: string, body: unknown, count: number, concurrency = 8): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}
