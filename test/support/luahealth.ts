// Builds (once, cached by content) and runs tools/luahealth: Argo CD health scripts executed by
// gopher-lua, the Lua 5.1 interpreter Argo CD embeds.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const TOOL = join(import.meta.dirname, "..", "..", "tools", "luahealth");

export function luahealthBinary(): string {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go"]) hash.update(readFileSync(join(TOOL, file)));
  const dir = join(process.env.MDO_CACHE_DIR ?? join(homedir(), ".cache", "mdo"), "tools");
  const binary = join(dir, `luahealth-${hash.digest("hex").slice(0, 12)}`);
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("go", ["build", "-trimpath", "-o", binary, "."], {
      cwd: TOOL, stdio: "inherit", env: { ...process.env, GOTOOLCHAIN: "local", CGO_ENABLED: "0" },
    });
  }
  return binary;
}

export interface Health {
  status: string;
  message: string;
}

/** Runs `script` on `obj` the way Argo CD does; throws if the script fails. */
export function runHealthScript(binary: string, script: string, obj: unknown): Health {
  const result = spawnSync(binary, [script], { input: JSON.stringify(obj), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`health script failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Health;
}
