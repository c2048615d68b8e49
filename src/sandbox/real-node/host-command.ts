import { spawn } from "node:child_process";
import { SandboxError } from "../errors.ts";

export interface HostCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a host tool (ip, iptables, sysctl, ctr…) to completion; never throws for a non-zero exit. */
export function hostCommand(command: string, args: string[], input?: string): Promise<HostCommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", (error) => reject(new SandboxError(`Could not run ${command}`, { cause: error })));
    child.once("close", (code, signal) => resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

/** Like `hostCommand`, but a non-zero exit is a SandboxError carrying the command and its stderr. */
export async function mustRun(command: string, args: string[], input?: string): Promise<string> {
  const result = await hostCommand(command, args, input);
  if (result.code !== 0) {
    throw new SandboxError(`${command} ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}
