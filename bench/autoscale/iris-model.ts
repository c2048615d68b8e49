// The real model every simulated pod serves: MLServer's pinned environment (scripts/mlserver-env)
// and an iris classifier trained once per run by scripts/train_iris.py into a fresh model
// repository, which each pod's MLServer process then loads from scratch.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { IrisExpected } from "../../src/sandbox/iris-model.ts";
import { removePidFile, startReaper, writePidFile } from "../../src/sandbox/processes.ts";
import { irisInferenceBody, mlserverEnv, MLSERVER_DIR_PREFIX } from "../../test/support/mlserver.ts";

const TRAIN_SCRIPT = resolve(import.meta.dirname, "../../scripts/train_iris.py");
export const MODEL_NAME = "iris";
export const INFER_PATH = `/v2/models/${MODEL_NAME}/infer`;
/** MLServer's readiness of the model itself (what the catalog's MLServer runtime probes). */
export const MODEL_READY_PATH = `/v2/models/${MODEL_NAME}/ready`;

export interface IrisRepository {
  /** The model repository: `<dir>/iris/` and `<dir>/settings.json` (rewritten per pod). */
  readonly dir: string;
  /** The virtualenv with `bin/mlserver`. */
  readonly envDir: string;
  readonly expected: IrisExpected;
  /** MLServer's version, as the environment's stamp records it. */
  readonly mlserver: string;
  readonly trained: { readonly testAccuracy: number; readonly python: string; readonly sklearn: string; readonly numpy: string };
  /** The body every benchmark request carries: the expected rows (5 iris flowers). */
  readonly body: Buffer;
  /** True when an inference answer's body holds the predictions the trained model gives for `body`. */
  correct(answer: string): boolean;
  remove(): Promise<void>;
}

export async function trainIris(log: (message: string) => void): Promise<IrisRepository> {
  const envDir = await mlserverEnv(log);
  // The prefix makes strays easy to find, as the tests' own MLServer directories.
  const dir = await mkdtemp(join(tmpdir(), `${MLSERVER_DIR_PREFIX}bench-`));
  // The pods record their pids here; the reaper ends them (and deletes dir) if this process dies.
  await writePidFile(dir, []);
  startReaper(process.pid, dir);
  try {
    // Ports are placeholders: each pod writes its own into settings.json before it starts.
    const { stdout } = await promisify(execFile)(join(envDir, "bin/python"), [TRAIN_SCRIPT, "--out", dir, "--name", MODEL_NAME, "--http-port", "1", "--grpc-port", "1"], { timeout: 120_000 });
    const trained = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as IrisRepository["trained"];
    const expected = JSON.parse(await readFile(join(dir, MODEL_NAME, "expected.json"), "utf8")) as IrisExpected;
    const want = JSON.stringify(expected.served);
    const stamp = await readFile(join(envDir, ".complete"), "utf8").catch(() => "");
    const mlserver = /\bmlserver=(\S+)/.exec(stamp)?.[1] ?? "unknown";
    return {
      dir,
      envDir,
      expected,
      mlserver,
      trained: { testAccuracy: trained.testAccuracy, python: trained.python, sklearn: trained.sklearn, numpy: trained.numpy },
      body: Buffer.from(JSON.stringify(irisInferenceBody(expected.rows))),
      correct: (answer) => {
        try {
          const parsed = JSON.parse(answer) as { outputs?: { data?: unknown }[] };
          return JSON.stringify(parsed.outputs?.[0]?.data) === want;
        } catch {
          return false;
        }
      },
      remove: () => removeRepository(dir),
    };
  } catch (error) {
    await removeRepository(dir);
    throw error;
  }
}

/** Points the repository's settings.json at this pod's ports (one pod runs at a time). */
export async function writeServerPorts(repo: IrisRepository, http: number, grpc: number): Promise<void> {
  const file = join(repo.dir, "settings.json");
  const settings = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...settings, http_port: http, grpc_port: grpc }, null, 2));
}

async function removeRepository(dir: string): Promise<void> {
  await removePidFile(dir);
  await rm(dir, { recursive: true, force: true });
}
