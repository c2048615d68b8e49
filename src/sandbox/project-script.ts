import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SandboxError } from "./errors.ts";

/**
 * Runs `scripts/<name>` of this project with bash and resolves with its stdout's non-empty
 * lines; its stderr (progress) goes to this process's stderr. Rejects with a SandboxError when it
 * cannot start or exits non-zero.
 */
export function runProjectScript(name: string): Promise<string[]> {
  const script = fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.once("error", (error) => reject(new SandboxError(`Could not run scripts/${name}`, { cause: error })));
    child.once("close", (code) => {
      if (code === 0) resolve(stdout.split("\n").map((l) => l.trim()).filter((l) => l !== ""));
      else reject(new SandboxError(`scripts/${name} failed (exit ${code}); see its output above`));
    });
  });
}
