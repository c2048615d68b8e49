// The image's install, without an engine: the Dockerfile's steps in a temp dir — production
// dependencies only (`npm ci --omit=dev`) and the sources — then `mdo operator --help` and
// `mdo agent` start from there. Node 24 is the image's base; here the project's own Node 24 runs it.
import { strict as assert } from "node:assert";
import { execFile, spawn } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { freePorts } from "../../../src/sandbox/ports.ts";

const run = promisify(execFile);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdo-prod-install-"));
  for (const entry of ["package.json", "package-lock.json", "src", "crds"]) await cp(entry, join(dir, entry), { recursive: true });
  await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, timeout: 300_000 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("only production dependencies are installed", async () => {
  const installed = new Set(await readdir(join(dir, "node_modules")));
  for (const dev of ["typescript", "eslint", "node", "typescript-eslint"]) assert.ok(!installed.has(dev), `${dev} is not installed`);
  assert.ok(installed.has("zod") && installed.has("prom-client") && installed.has("undici"));
});

test("mdo operator --help runs from the production install", async () => {
  const { stdout } = await run(process.execPath, ["src/cmd/mdo.ts", "operator", "--help"], { cwd: dir });
  assert.match(stdout, /--leader-elect/);
});

test("mdo agent starts from the production install, answers /healthz and drains on SIGTERM", async () => {
  const [port, metricsPort, upstream] = await freePorts(3);
  const config = {
    revision: "r1", model: { name: "m", version: "v1" }, protocol: "v2",
    listen: { host: "127.0.0.1", port, metricsPort },
    upstream: { host: "127.0.0.1", port: upstream, readinessPath: "/v2/health/ready", livenessPath: "/v2/health/live" },
    limits: { maxRequestBytes: 1024, timeoutMs: 1000 }, logPayloads: false,
  };
  await writeFile(join(dir, "agent.json"), JSON.stringify(config));
  const agent = spawn(process.execPath, ["src/cmd/mdo.ts", "agent", "--config", "agent.json", "--log-level", "warn"], { cwd: dir, stdio: "inherit" });
  const exited = new Promise<number | null>((resolve) => agent.once("exit", resolve));
  let healthy = false;
  for (let i = 0; i < 100 && !healthy; i++) {
    healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (!healthy) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(healthy, "the agent answers /healthz");
  assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 503, "not ready: no model server");
  agent.kill("SIGTERM");
  assert.equal(await exited, 0);
});
