// The one real model server of the run: MLServer from the pinned environment (scripts/mlserver-env)
// with its scikit-learn runtime, serving two models trained in the run into a fresh repository:
// `iris` (scripts/train_iris.py: StandardScaler + LogisticRegression, 4 features) for throughput,
// and `wide` (bench/batch/train_wide.py: LogisticRegression on --features features) for memory.
// The scratch directory also holds the inputs and outputs; its processes run detached in their own
// process groups, recorded in its pid file, and the reaper of src/sandbox/processes.ts ends them
// and deletes the directory if the benchmark dies before `remove()`.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { IrisExpected } from "../../src/sandbox/iris-model.ts";
import { get, waitForHealthy } from "../../src/sandbox/http-probe.ts";
import { freePorts } from "../../src/sandbox/ports.ts";
import { removePidFile, startProcess, startReaper, stopProcessGroups, writePidFile } from "../../src/sandbox/processes.ts";
import { mlserverEnv, MLSERVER_DIR_PREFIX } from "../../test/support/mlserver.ts";

const TRAIN_IRIS = resolve(import.meta.dirname, "../../scripts/train_iris.py");
const TRAIN_WIDE = resolve(import.meta.dirname, "train_wide.py");
export const IRIS = "iris";
export const WIDE = "wide";

export interface ModelServer {
  /** The scratch directory: `models/` (the repository, settings.json, mlserver.log) and room for data. */
  readonly dir: string;
  readonly url: string;
  readonly pid: number;
  readonly iris: { readonly expected: IrisExpected; readonly testAccuracy: number };
  readonly wide: { readonly features: number; readonly testAccuracy: number } | undefined;
  readonly versions: { readonly mlserver: string; readonly python: string; readonly sklearn: string; readonly numpy: string };
  readonly logFile: string;
  /** Stops MLServer and deletes the directory. Idempotent. */
  remove(): Promise<void>;
}

const run = promisify(execFile);

/** Trains the models (`wide` only when `wideFeatures` is given), starts MLServer, waits until every model is ready. */
export async function startModelServer(wideFeatures: number | undefined, log: (message: string) => void): Promise<ModelServer> {
  const envDir = await mlserverEnv(log);
  const python = join(envDir, "bin/python");
  const dir = await mkdtemp(join(tmpdir(), `${MLSERVER_DIR_PREFIX}bench-batch-`));
  await writePidFile(dir, []);
  startReaper(process.pid, dir);
  const models = join(dir, "models");
  let pid = 0;
  let removing: Promise<void> | undefined;
  const remove = (): Promise<void> => (removing ??= (async () => {
    await removePidFile(dir);
    if (pid > 0) await stopProcessGroups([pid], 10_000);
    await rm(dir, { recursive: true, force: true });
  })());
  try {
    await mkdir(models);
    const [http = 0, grpc = 0] = await freePorts(2);
    const irisOut = await run(python, [TRAIN_IRIS, "--out", models, "--name", IRIS, "--http-port", String(http), "--grpc-port", String(grpc)], { timeout: 120_000 });
    const iris = JSON.parse(irisOut.stdout.trim().split("\n").pop() ?? "{}") as { testAccuracy: number; python: string; sklearn: string; numpy: string };
    const expected = JSON.parse(await readFile(join(models, IRIS, "expected.json"), "utf8")) as IrisExpected;
    let wide: ModelServer["wide"];
    if (wideFeatures !== undefined) {
      const wideOut = await run(python, [TRAIN_WIDE, "--out", models, "--name", WIDE, "--features", String(wideFeatures)], { timeout: 300_000 });
      const trained = JSON.parse(wideOut.stdout.trim().split("\n").pop() ?? "{}") as { testAccuracy: number };
      wide = { features: wideFeatures, testAccuracy: trained.testAccuracy };
    }
    // Variables MLSERVER_* of the caller would override settings.json: dropped, as the tests do.
    const unset = Object.keys(process.env).filter((k) => k.startsWith("MLSERVER_")).flatMap((k) => ["-u", k]);
    const server = startProcess("mlserver", "env", [...unset, "-C", models, "PYTHONUNBUFFERED=1", join(envDir, "bin/mlserver"), "start", models], models);
    pid = server.pid;
    await writePidFile(dir, [pid]);
    const url = `http://127.0.0.1:${http}`;
    const exited = server.exited.then((why) => `${String(why)}; its log: ${server.logFile}`);
    for (const name of wideFeatures === undefined ? [IRIS] : [IRIS, WIDE]) {
      await waitForHealthy(`MLServer model ${name}`, { url: `${url}/v2/models/${name}/ready` }, 120_000, exited);
    }
    const info = await get({ url: `${url}/v2` });
    const mlserver = (JSON.parse(info.body) as { version?: string }).version ?? "unknown";
    return {
      dir, url, pid, wide, logFile: server.logFile, remove,
      iris: { expected, testAccuracy: iris.testAccuracy },
      versions: { mlserver, python: iris.python, sklearn: iris.sklearn, numpy: iris.numpy },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
