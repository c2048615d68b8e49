// The agent end to end on 127.0.0.1 in front of a stand-in model server: in-process through
// startAgent, and as the real `mdo agent` process (signals, exit code, drain).
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startAgent, type RunningAgent } from "../../../src/agent/agent.ts";
import type { AgentConfig } from "../../../src/agent/config.ts";
import { createLogger } from "../../../src/runtime/logging.ts";
import { agentConfig, inferBody, sampleValue } from "./support/agent-fixture.ts";
import { FakeModelServer, sleep } from "./support/fake-model-server.ts";
import { send } from "./support/harness.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const KEY = "integration-key";
const headers = { "content-type": "application/json", authorization: `Bearer ${KEY}` };

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

const metricsText = async (metricsUrl: string): Promise<string> => (await fetch(`${metricsUrl}/metrics`)).text();
const readyStatus = async (url: string): Promise<number> => (await send(url, "/readyz")).status;

/** The behaviours every agent must show, whichever way it runs. */
function behaviours(ctx: () => { url: string; metricsUrl: string; fake: FakeModelServer }): void {
  it("serves v2 inference through the agent", async () => {
    const { url } = ctx();
    const answer = await send(url, "/v2/models/iris/infer", { body: inferBody([1, 2, 3]), headers });
    assert.equal(answer.status, 200);
    assert.deepEqual((JSON.parse(answer.body) as { outputs: { data: number[] }[] }).outputs[0]?.data, [6]);
  });

  it("answers a cache hit with the identical body without reaching the model server", async () => {
    const { url, fake } = ctx();
    const first = await send(url, "/v2/models/iris/infer", { body: inferBody([4, 5]), headers });
    const calls = fake.inferences;
    const second = await send(url, "/v2/models/iris/infer", { body: inferBody([4, 5]), headers });
    assert.equal(second.headers["x-mdo-cache"], "hit");
    assert.equal(second.body, first.body);
    assert.equal(fake.inferences, calls);
  });

  it("rejects a wrong key with 401", async () => {
    const answer = await send(ctx().url, "/v2/models/iris/infer", { body: inferBody([1]), headers: { ...headers, authorization: "Bearer wrong" } });
    assert.equal(answer.status, 401);
  });

  it("rejects an oversized body with 413 and keeps serving", async () => {
    const { url } = ctx();
    assert.equal((await send(url, "/v2/models/iris/infer", { body: inferBody(new Array<number>(40_000).fill(1)), headers })).status, 413);
    assert.equal((await send(url, "/v2/models/iris/infer", { body: Array.from({ length: 40 }, () => " ".repeat(4096)), headers })).status, 413);
    assert.equal((await send(url, "/v2/models/iris/infer", { body: inferBody([7]), headers })).status, 200);
  });

  it("follows the model server's readiness", async () => {
    const { url, fake } = ctx();
    await eventually(async () => (await readyStatus(url)) === 200);
    fake.ready = false;
    await eventually(async () => (await readyStatus(url)) === 503, 3000);
    fake.ready = true;
    await eventually(async () => (await readyStatus(url)) === 200, 3000);
  });

  it("answers fast 502 while the model server is killed, turns unready, and recovers on restart", async () => {
    const { url, fake } = ctx();
    const port = fake.port;
    await fake.kill();
    const down = await send(url, "/v2/models/iris/infer", { body: inferBody([11]), headers });
    assert.ok(down.status === 502 || down.status === 503, `status ${down.status}`);
    assert.ok(down.ms < 500, `took ${down.ms} ms`);
    await eventually(async () => (await readyStatus(url)) === 503, 3000);
    await fake.start(port);
    await eventually(async () => (await readyStatus(url)) === 200, 3000);
    assert.equal((await send(url, "/v2/models/iris/infer", { body: inferBody([12]), headers })).status, 200);
  });

  it("counts exactly the requests sent", async () => {
    const { url, metricsUrl } = ctx();
    const before = sampleValue(await metricsText(metricsUrl), "mdo_agent_requests_total", { route: "metadata", code: "404" }) ?? 0;
    for (let i = 0; i < 7; i++) await send(url, "/v2/models/iris", { headers });
    const text = await metricsText(metricsUrl);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "metadata", code: "404" }), before + 7);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "infer", code: "401" }), 1);
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "infer", code: "413" }), 2);
    assert.equal(sampleValue(text, "mdo_agent_request_duration_seconds_count", { route: "metadata" }), before + 7);
  });
}

async function writeKeyAndConfig(dir: string, fake: FakeModelServer): Promise<AgentConfig> {
  await writeFile(join(dir, "api-key"), `${KEY}\n`);
  return agentConfig(fake.port, {
    limits: { maxRequestBytes: 64 * 1024, timeoutMs: 5000 },
    cache: { maxEntries: 1000, ttlMs: 60_000 },
    auth: { apiKeyFile: join(dir, "api-key") },
  });
}

describe("agent in-process", () => {
  const fake = new FakeModelServer();
  let dir: string;
  let agent: RunningAgent;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdo-agent-it-"));
    await fake.start();
    agent = await startAgent(await writeKeyAndConfig(dir, fake), { logger: createLogger({ silent: true }) });
  });
  after(async () => {
    await agent.stop();
    await fake.kill();
    await rm(dir, { recursive: true, force: true });
  });

  behaviours(() => ({ url: agent.url, metricsUrl: agent.metricsUrl, fake }));

  it("drains in-flight requests on stop", async () => {
    fake.delayMs = 400;
    const slow = send(agent.url, "/v2/models/iris/infer", { body: inferBody([99]), headers });
    await sleep(100);
    const stopped = agent.stop();
    const answer = await slow;
    await stopped;
    fake.delayMs = 0;
    assert.equal(answer.status, 200);
    await assert.rejects(send(agent.url, "/healthz"), /ECONNREFUSED/);
  });
});

describe("agent process (mdo agent)", () => {
  const fake = new FakeModelServer();
  let dir: string;
  let config: AgentConfig;
  let child: ChildProcess;
  let stderr = "";
  let exited: Promise<number | null>;
  const url = (): string => `http://127.0.0.1:${config.listen.port}`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdo-agent-proc-"));
    await fake.start();
    config = await writeKeyAndConfig(dir, fake);
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    child = spawn(process.execPath, ["src/cmd/mdo.ts", "agent", `--config=${join(dir, "config.json")}`, "--log-level=warn"], {
      cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    await eventually(async () => {
      try {
        return (await send(url(), "/healthz")).status === 200;
      } catch {
        return false;
      }
    }, 15_000);
  });
  after(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await fake.kill();
    await rm(dir, { recursive: true, force: true });
  });

  behaviours(() => ({ url: url(), metricsUrl: `http://127.0.0.1:${config.listen.metricsPort}`, fake }));

  it("drains in-flight requests on SIGTERM, then exits 0", async () => {
    fake.delayMs = 500;
    const slow = send(url(), "/v2/models/iris/infer", { body: inferBody([123]), headers });
    await sleep(150);
    child.kill("SIGTERM");
    await sleep(100);
    await assert.rejects(send(url(), "/healthz"), /ECONNREFUSED/, "stopped accepting connections");
    const answer = await slow;
    fake.delayMs = 0;
    assert.equal(answer.status, 200);
    assert.equal(await exited, 0, stderr);
  });

  it("never logs the API key", () => {
    assert.ok(!stderr.includes(KEY));
  });
});
