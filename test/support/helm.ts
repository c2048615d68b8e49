// The real helm CLI, built with the test control plane by scripts/k8s-assets (bin dir on line 1).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { resolveAssets } from "../../src/sandbox/assets.ts";

const run = promisify(execFile);

export const CHART_DIR = join(import.meta.dirname, "..", "..", "charts", "mdo");

let binary: Promise<string> | undefined;

/** Path of the pinned helm binary. */
export function helmPath(): Promise<string> {
  binary ??= resolveAssets().then((assets) => join(assets.binDir, "helm"));
  return binary;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm (with `kubeconfig` when given); never throws on a non-zero exit. */
export async function helm(args: string[], kubeconfig?: string): Promise<HelmResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, HELM_CACHE_HOME: "/tmp/mdo-helm/cache", HELM_CONFIG_HOME: "/tmp/mdo-helm/config", HELM_DATA_HOME: "/tmp/mdo-helm/data" };
  if (kubeconfig !== undefined) env.KUBECONFIG = kubeconfig;
  try {
    const { stdout, stderr } = await run(await helmPath(), args, { env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? String(error) };
  }
}

/** Runs helm and fails with its stderr unless it exits 0. */
export async function helmOk(args: string[], kubeconfig?: string): Promise<string> {
  const result = await helm(args, kubeconfig);
  if (result.code !== 0) throw new Error(`helm ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** `helm template` of the chart as a list of objects. */
export async function renderChart(release: string, namespace: string, set: string[] = []): Promise<Record<string, unknown>[]> {
  const { loadAll } = await import("js-yaml");
  const out = await helmOk(["template", release, CHART_DIR, "--namespace", namespace, ...set.flatMap((s) => ["--set", s])]);
  return loadAll(out).filter((o): o is Record<string, unknown> => o !== null && typeof o === "object");
}
