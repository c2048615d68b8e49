import { spawn } from "node:child_process";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with the given kubeconfig; never throws for a non-zero exit (see `code`). */
export function runKubectl(
  kubectlPath: string,
  kubeconfigPath: string,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath, ["--kubeconfig", kubeconfigPath, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // kubectl may exit before reading its input (e.g. `get` ignores stdin): the write then fails
    // with EPIPE, which says nothing the exit code does not.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}
