// A real MLServer (Seldon's Open Inference Protocol v2 server) with its scikit-learn runtime, for
// tests: `scripts/mlserver-env` provides the pinned virtualenv, `scripts/train_iris.py` trains
// a small iris classifier into a fresh model repository, and the server runs on 127.0.0.1,
// detached in its own process group with its output in `<dir>/mlserver.log`.
// With `latencyMs` the model is served by test/support/slow_sklearn.py instead, whose every
// inference sleeps (asynchronously) that long first.
//
// Teardown is always complete: `stop()` ends the process group and deletes the directory; a
// reaper (src/sandbox/processes.ts) does the same if the test process dies first.
import { execFile } from "node:child_process";
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { logTail, processesNaming } from "./proc-scan.ts";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { IrisExpected } from "../../src/sandbox/iris-model.ts";
import { freePorts } from "../../src/sandbox/ports.ts";
import { get, waitForHealthy } from "../../src/sandbox/http-probe.ts";
import {
  isAlive, removePidFile, startProcess, startReaper, stopProcessGroups, writePidFile,
  type ManagedProcess,
} from "../../src/sandbox/processes.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENV_SCRIPT = join(ROOT, "scripts/mlserver-env");
const TRAIN_SCRIPT = join(ROOT, "scripts/train_iris.py");
/** Every server directory starts with this, so strays are easy to find (`pgrep -fa mdo-mlserver-`). */
export const MLSERVER_DIR_PREFIX = "mdo-mlserver-";
/** Set to 1 to keep the directory (model, settings, log) after `stop()`. */
export const KEEP_ENV = "MDO_TEST_KEEP_MLSERVER";

export interface StartMlserverOptions {
  /** HTTP port on 127.0.0.1; a free one by default. Stays the same across restarts. */
  port?: number;
  /** Model name in the repository and in `/v2/models/<name>/…`; default `iris`. */
  modelName?: string;
  /** Also start MLServer's own Prometheus endpoint on a free port (`metricsUrl`). */
  metrics?: boolean;
  /**
   * Every inference takes at least this long (ms): the model is served by the custom runtime
   * test/support/slow_sklearn.py (MLServer's scikit-learn runtime behind an `asyncio.sleep`,
   * configured by `parameters.extra.latency_ms` in model-settings.json), with the same trained
   * model, so `expected` holds. The sleep does not block the event loop: concurrent requests
   * overlap without using CPU, for autoscaling tests that need many requests in flight.
   * Default: none, the plain scikit-learn runtime.
   */
  latencyMs?: number;
  /** How long to wait for the model to be ready, per start; default 90 s. */
  readyTimeoutMs?: number;
  log?: (message: string) => void;
}

export type { IrisExpected };

/** Versions in the environment, as reported by the training script. */
export interface MlserverVersions {
  mlserver: string;
  python: string;
  sklearn: string;
  numpy: string;
  joblib: string;
}

export interface RunningMlserver {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly grpcPort: number;
  /** MLServer's metrics endpoint (`…/metrics`), when started with `metrics: true`. */
  readonly metricsUrl: string | undefined;
  /** The pid (and process group) of the current server process; changes on restart. */
  readonly pid: number;
  readonly modelName: string;
  /** The model repository, settings.json and mlserver.log. */
  readonly dir: string;
  readonly logFile: string;
  /** The virtualenv made by scripts/mlserver-env. */
  readonly envDir: string;
  readonly versions: MlserverVersions;
  readonly expected: IrisExpected;
  /** True between a start and the process's exit. */
  running(): boolean;
  /** Polls `GET /v2/models/<name>/ready` until it answers 200. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** One `GET /v2/models/<name>/ready`: true on 200, false on any other answer or none. */
  isReady(): Promise<boolean>;
  /** SIGKILLs the process group (a crash) and resolves once the process has gone. */
  kill(): Promise<void>;
  /** Stops the process if needed (SIGTERM, then SIGKILL), starts it again on the same ports, waits until ready. */
  restart(): Promise<void>;
  /** Unloads / loads the model through the repository API (readiness then follows). */
  unloadModel(): Promise<void>;
  loadModel(): Promise<void>;
  /** Ends the process group and deletes the directory (kept with MDO_TEST_KEEP_MLSERVER=1). Idempotent. */
  stop(): Promise<void>;
}

/** A v2 inference request body for feature rows (one FP64 tensor of shape [rows, 4]). */
export function irisInferenceBody(rows: number[][], outputs?: string[]): Record<string, unknown> {
  const width = rows[0]?.length ?? 0;
  return {
    inputs: [{ name: "input-0", shape: [rows.length, width], datatype: "FP64", data: rows.flat() }],
    ...(outputs === undefined ? {} : { outputs: outputs.map((name) => ({ name })) }),
  };
}

/**
 * Runs scripts/mlserver-env (building the environment on the first call, about 40 s; then
 * well under a second) and prints its progress through `log`. Returns the virtualenv directory.
 */
export async function mlserverEnv(log: (message: string) => void = defaultLog): Promise<string> {
  const { stdout, stderr } = await run("bash", [ENV_SCRIPT], 15 * 60_000, log);
  const dir = stdout.trim().split("\n").pop();
  if (dir === undefined || dir === "") throw new Error(`scripts/mlserver-env printed no directory; stderr:\n${stderr}`);
  return dir;
}

/** Starts MLServer serving a freshly trained iris classifier; resolves once the model is ready. */
export async function startMlserver(options: StartMlserverOptions = {}): Promise<RunningMlserver> {
  const log = options.log ?? defaultLog;
  const modelName = options.modelName ?? "iris";
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const { latencyMs } = options;
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    throw new Error(`latencyMs must be a finite number >= 0, got ${latencyMs}`);
  }
  const envDir = await mlserverEnv(log);
  const dir = await mkdtemp(join(tmpdir(), MLSERVER_DIR_PREFIX));
  // From here on the directory exists: record (no) pids and let the reaper watch this process.
  await writePidFile(dir, []);
  startReaper(process.pid, dir);
  try {
    const ports = await choosePorts(options);
    const { stdout } = await run(join(envDir, "bin/python"), [
      TRAIN_SCRIPT, "--out", dir, "--name", modelName,
      "--http-port", String(ports.http), "--grpc-port", String(ports.grpc),
      "--metrics-port", String(ports.metrics ?? 0),
      ...(latencyMs === undefined ? [] : ["--latency-ms", String(latencyMs)]),
    ], 120_000);
    const trained = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
      testAccuracy: number; python: string; sklearn: string; numpy: string; joblib: string;
    };
    const expected = JSON.parse(await readFile(join(dir, modelName, "expected.json"), "utf8")) as IrisExpected;
    const server = new Server({
      dir, envDir, modelName, expected, ports, readyTimeoutMs, log,
      portsFixed: options.port !== undefined,
    });
    await server.start();
    const info = await get({ url: `${server.url}/v2` });
    const version = (JSON.parse(info.body) as { version?: string }).version ?? "unknown";
    server.versions = { mlserver: version, python: trained.python, sklearn: trained.sklearn, numpy: trained.numpy, joblib: trained.joblib };
    const slow = latencyMs === undefined ? "" : `, ${latencyMs} ms per inference`;
    log(`MLServer ${version} ready at ${server.url} (model ${modelName}${slow}, test accuracy ${trained.testAccuracy}, scikit-learn ${trained.sklearn}, pid ${server.pid}, dir ${dir})`);
    return server;
  } catch (error) {
    // Keep the directory: its log explains the failure.
    await stopDir(dir, true);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`MLServer did not start (kept ${dir}): ${message}`, { cause: error });
  }
}

interface Ports { http: number; grpc: number; metrics: number | undefined }

interface ServerInit {
  dir: string;
  envDir: string;
  modelName: string;
  expected: IrisExpected;
  ports: Ports;
  portsFixed: boolean;
  readyTimeoutMs: number;
  log: (message: string) => void;
}

class Server implements RunningMlserver {
  readonly dir: string;
  readonly envDir: string;
  readonly modelName: string;
  readonly expected: IrisExpected;
  readonly logFile: string;
  versions: MlserverVersions = { mlserver: "", python: "", sklearn: "", numpy: "", joblib: "" };
  private ports: Ports;
  private readonly portsFixed: boolean;
  private readonly readyTimeoutMs: number;
  private readonly log: (message: string) => void;
  private process: ManagedProcess | undefined;
  private stopped = false;

  constructor(init: ServerInit) {
    this.dir = init.dir;
    this.envDir = init.envDir;
    this.modelName = init.modelName;
    this.expected = init.expected;
    this.ports = init.ports;
    this.portsFixed = init.portsFixed;
    this.readyTimeoutMs = init.readyTimeoutMs;
    this.log = init.log;
    this.logFile = join(init.dir, "mlserver.log");
  }

  get url(): string { return `http://127.0.0.1:${this.ports.http}`; }
  get port(): number { return this.ports.http; }
  get grpcPort(): number { return this.ports.grpc; }
  get metricsUrl(): string | undefined {
    return this.ports.metrics === undefined ? undefined : `http://127.0.0.1:${this.ports.metrics}/metrics`;
  }
  get pid(): number { return this.process?.pid ?? 0; }

  running(): boolean {
    return this.process !== undefined && isAlive(this.process.pid);
  }

  /** Starts the process and waits until the model is ready; retries on a port lost to a race. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.spawnAndWait();
        return;
      } catch (error) {
        const log = await readFile(this.logFile, "utf8").catch(() => "");
        const lostPort = /address already in use|error while attempting to bind|failed to bind to address/i.test(log.slice(-4000));
        await this.terminate("SIGKILL");
        if (this.portsFixed || !lostPort || attempt >= 3) throw error;
        this.log(`MLServer could not bind its ports (${this.ports.http}, ${this.ports.grpc}); retrying with others`);
        this.ports = await choosePorts({ metrics: this.ports.metrics !== undefined });
        await this.rewriteSettings();
      }
    }
  }

  private async spawnAndWait(): Promise<void> {
    if (this.stopped) throw new Error("MLServer was stopped; start a new one");
    // `env` execs MLServer, so the pid is MLServer's own; MLSERVER_* variables of the caller
    // could override settings.json, so they are dropped.
    const unset = Object.keys(process.env).filter((k) => k.startsWith("MLSERVER_")).flatMap((k) => ["-u", k]);
    const started = startProcess("mlserver", "env", [
      ...unset, "-C", this.dir, "PYTHONUNBUFFERED=1",
      join(this.envDir, "bin/mlserver"), "start", this.dir,
    ], this.dir);
    this.process = started;
    await writePidFile(this.dir, [started.pid]);
    const exited = started.exited.then(async (why) => `${String(why)}; log tail:\n${await logTail(started.logFile)}`);
    await waitForHealthy(`MLServer (${this.dir})`, { url: this.readyUrl() }, this.readyTimeoutMs, exited);
  }

  private readyUrl(): string {
    return `${this.url}/v2/models/${encodeURIComponent(this.modelName)}/ready`;
  }

  async waitReady(timeoutMs = this.readyTimeoutMs): Promise<void> {
    const exited = this.process?.exited.then((why) => String(why)) ?? Promise.resolve("not started");
    await waitForHealthy(`MLServer model ${this.modelName}`, { url: this.readyUrl() }, timeoutMs, exited);
  }

  async isReady(): Promise<boolean> {
    try {
      return (await get({ url: this.readyUrl() }, 1_000)).status === 200;
    } catch {
      return false;
    }
  }

  async kill(): Promise<void> {
    await this.terminate("SIGKILL");
  }

  async restart(): Promise<void> {
    await this.terminate("SIGTERM");
    await this.start();
    this.log(`MLServer restarted (pid ${this.pid})`);
  }

  async unloadModel(): Promise<void> {
    await this.repository("unload");
  }

  async loadModel(): Promise<void> {
    await this.repository("load");
  }

  private async repository(action: "load" | "unload"): Promise<void> {
    const response = await fetch(`${this.url}/v2/repository/models/${encodeURIComponent(this.modelName)}/${action}`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 200) throw new Error(`MLServer ${action} of ${this.modelName}: HTTP ${response.status} ${await response.text()}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopDir(this.dir, process.env[KEEP_ENV] === "1", this.process === undefined ? [] : [this.process.pid]);
    this.process = undefined;
  }

  /** Ends the current process group: SIGTERM with a grace period, or SIGKILL at once. */
  private async terminate(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const current = this.process;
    if (current === undefined) return;
    if (signal === "SIGTERM") {
      await stopProcessGroups([current.pid], 10_000);
    } else {
      try {
        process.kill(-current.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await Promise.race([current.exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.process = undefined;
    await writePidFile(this.dir, []);
  }

  private async rewriteSettings(): Promise<void> {
    const file = join(this.dir, "settings.json");
    const settings = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    settings.http_port = this.ports.http;
    settings.grpc_port = this.ports.grpc;
    if (this.ports.metrics !== undefined) settings.metrics_port = this.ports.metrics;
    await writeFile(file, JSON.stringify(settings, null, 2));
  }
}

async function choosePorts(options: { port?: number; metrics?: boolean }): Promise<Ports> {
  const [a, b, c] = await freePorts(3);
  return { http: options.port ?? a!, grpc: b!, metrics: options.metrics === true ? c! : undefined };
}

/** Removes the pid file (so the reaper exits), ends the process groups, deletes the directory. */
async function stopDir(dir: string, keepDir: boolean, pids: number[] = []): Promise<void> {
  const recorded = await readFile(join(dir, "pids"), "utf8").catch(() => "");
  const all = [...new Set([...pids, ...recorded.split(/\s+/).filter(Boolean).map(Number)])].filter(Number.isInteger);
  await removePidFile(dir);
  await stopProcessGroups(all, 10_000);
  if (!keepDir) await rm(dir, { recursive: true, force: true });
}

/**
 * Pids of processes whose command line names an MLServer test directory (`mdo-mlserver-…`),
 * other than reapers: what a finished test run must not leave behind.
 */
/**
 * Stops `server` (if it started) and throws unless its process and every process of an MLServer
 * test directory are gone: the `after` hook of tests that own an MLServer.
 */
export async function stopAndCheckGone(server: RunningMlserver | undefined): Promise<void> {
  const pid = server?.pid;
  await server?.stop();
  if (pid !== undefined && pid > 0 && isAlive(pid)) throw new Error(`MLServer pid ${pid} survived stop()`);
  const strays = strayMlserverProcesses();
  if (strays.length > 0) throw new Error(`processes of an MLServer test directory are still running: ${strays.join(", ")}`);
}

export function strayMlserverProcesses(): number[] {
  return processesNaming([MLSERVER_DIR_PREFIX]);
}

/** Runs a command to completion; `onStderrLine` sees its stderr as it comes (progress). */
function run(
  command: string,
  args: string[],
  timeoutMs: number,
  onStderrLine?: (line: string) => void,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr}`, { cause: error }));
      } else {
        resolvePromise({ stdout, stderr });
      }
    });
    if (onStderrLine !== undefined) {
      let pending = "";
      child.stderr?.on("data", (chunk: Buffer | string) => {
        const lines = (pending + chunk.toString()).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line !== "") onStderrLine(line);
      });
    }
  });
}

function defaultLog(message: string): void {
  console.log(`[mlserver] ${message}`);
}
