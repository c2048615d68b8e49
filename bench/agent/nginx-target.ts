// nginx (Debian package) as the reference reverse proxy, run in the foreground with a generated
// config in its own directory. Its CPU is the master's plus the workers'.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "../../test/integration/agent/support/agent-fixture.ts";
import { Child } from "./child-process.ts";
import { nginxConfig } from "./nginx-config.ts";
import { childPids } from "./proc-cpu.ts";
import { READY_PATH } from "./synthetic.ts";
import type { RunningTarget } from "./target.ts";
import { waitForStatus } from "./wait-http.ts";

export interface NginxTargetOptions {
  readonly binary: string;
  readonly upstreamPort: number;
  readonly workDir: string;
  readonly workers: number | "auto";
}

export async function startNginxTarget(options: NginxTargetOptions): Promise<RunningTarget> {
  const dir = join(options.workDir, "nginx");
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const config = join(dir, "nginx.conf");
  await writeFile(config, nginxConfig({ dir, listenPort: port, upstreamPort: options.upstreamPort, workers: options.workers, upstreamKeepalive: 64 }));
  const child = new Child("nginx", options.binary, ["-p", `${dir}/`, "-c", config, "-e", join(dir, "error.log")]);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(`${origin}${READY_PATH}`, 200, 10_000);
  } catch (error) {
    await child.stop();
    const log = await readFile(join(dir, "error.log"), "utf8").catch(() => "");
    throw new Error(`nginx did not start${log === "" ? "" : `; its error log:\n${log}`}`, { cause: error });
  }
  return {
    name: "nginx",
    origin,
    proxyPids: () => [child.pid, ...childPids(child.pid)],
    inspect: async () => ({ workers: childPids(child.pid).length, errorLog: (await readFile(join(dir, "error.log"), "utf8")).trim().split("\n").filter((l) => l !== "").slice(-5) }),
    stop: () => child.stop(),
  };
}
