// Finds nginx, installing the Debian package when it is missing (apt-get, as root).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"];

function findNginx(): string | undefined {
  const onPath = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" }).stdout.trim();
  if (onPath !== "") return onPath;
  return CANDIDATES.find((path) => existsSync(path));
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (exit ${String(result.status)}):\n${output}`);
  }
}

/** The nginx binary and its version ("nginx/1.22.1"); installs Debian's `nginx` package first if needed. */
export function ensureNginx(progress: (message: string) => void): { path: string; version: string } {
  let path = findNginx();
  if (path === undefined) {
    if (process.getuid?.() !== 0) throw new Error("nginx is missing and only root can install it: run `apt-get install -y nginx` first");
    progress("nginx is missing: installing the Debian package (apt-get update, apt-get install -y nginx)…");
    run("apt-get", ["update"]);
    run("apt-get", ["install", "-y", "--no-install-recommends", "nginx"]);
    path = findNginx();
    if (path === undefined) throw new Error("apt-get installed nginx but no nginx binary was found");
  }
  const version = spawnSync(path, ["-v"], { encoding: "utf8" }).stderr.trim().replace(/^nginx version:\s*/, "");
  return { path, version };
}
