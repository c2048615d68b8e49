// The operator as the image runs it: src/ compiled to JavaScript with tsconfig.build.json (the
// Dockerfile's build stage). The output goes under the repository's .tmp/, so its imports find
// node_modules and package.json's "type": "module" as in the image.
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "../..");

export interface CompiledOperator {
  /** The compiled `mdo` command. */
  readonly script: string;
  remove(): Promise<void>;
}

export async function compileOperator(): Promise<CompiledOperator> {
  const out = join(ROOT, ".tmp", `bench-operator-dist-${process.pid}`);
  await promisify(execFile)(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", out], { cwd: ROOT });
  return { script: join(out, "cmd", "mdo.js"), remove: () => rm(out, { recursive: true, force: true }) };
}
