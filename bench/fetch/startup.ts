// What mdo costs before it downloads anything: `mdo fetch --help` (src/cmd/mdo.ts imports every
// command's modules: operator, Kubernetes client, agent…) against a Node.js process that imports
// only what a fetch from S3 needs (src/delivery/command.ts and stores/s3.ts with the AWS SDK).
import { resolve } from "node:path";
import { checkExit, timedRun } from "./timed-run.ts";
import type { WorkDir } from "./work-dir.ts";

export interface StartupCost {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

export interface Startup {
  /** `node src/cmd/mdo.ts fetch --help`. */
  readonly mdoFetchHelp: StartupCost;
  /** `node -e 'import src/delivery/command.ts and src/delivery/stores/s3.ts'`. */
  readonly deliveryModulesAlone: StartupCost;
}

const ROOT = resolve(import.meta.dirname, "../..");

export async function measureStartup(workDir: WorkDir, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<Startup> {
  const cost = async (what: string, args: readonly string[]): Promise<StartupCost> => {
    const run = await timedRun(process.execPath, args, { env, workDir, signal });
    checkExit(what, run);
    return { seconds: run.wallMs / 1000, cpuSeconds: run.usage.cpuSecondsTotal, peakRssBytes: run.usage.hwmBytes };
  };
  const modules = ["src/delivery/command.ts", "src/delivery/stores/s3.ts"].map((m) => `await import(${JSON.stringify(resolve(ROOT, m))});`).join(" ");
  return {
    mdoFetchHelp: await cost("mdo fetch --help", [resolve(ROOT, "src/cmd/mdo.ts"), "fetch", "--help"]),
    deliveryModulesAlone: await cost("importing the delivery modules", ["--input-type=module", "-e", modules]),
  };
}
