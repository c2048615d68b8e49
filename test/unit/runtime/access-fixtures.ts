// Temporary kubeconfig files and service-account directories for the cluster-access tests.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

/** A directory removed after the test file. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mdo-access-"));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (name → text) into `dir`; returns the path of the first. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return join(dir, Object.keys(files)[0]!);
}

export const b64 = (text: string): string => Buffer.from(text).toString("base64");

/** A kubeconfig (as JSON, which is YAML) with one context "main" → cluster "c" and user "u". */
export function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: "v1", kind: "Config", "current-context": "main",
    clusters: [{ name: "c", cluster: { server: "https://api.example:6443", ...cluster } }],
    users: user === undefined ? [] : [{ name: "u", user }],
    contexts: [{ name: "main", context: { cluster: "c", ...(user === undefined ? {} : { user: "u" }), namespace: "team" } }],
    ...extra,
  });
}
