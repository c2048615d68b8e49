// The operator under test as its own process (`mdo operator`, as the image runs it), so its RSS
// and CPU are its own and a SIGKILL is a real crash; its /metrics gives the API requests it sent
// by verb and its reconciles. Used by the operator benchmark (bench/operator/) and the chaos tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePorts } from "../../src/sandbox/ports.ts";
import { removePidFile, startReaper, writePidFile } from "../../src/sandbox/processes.ts";
import { clockTicksPerSecond, processCpuSeconds } from "../../bench/agent/proc-cpu.ts";
import { readMemory } from "../../bench/fetch/proc-sample.ts";

const TICKS = clockTicksPerSecond();
const MDO = resolve(import.meta.dirname, "../../src/cmd/mdo.ts");
/** Directories of reaped operators start with this (`pgrep -fa mdo-operator-` finds strays). */
export const OPERATOR_DIR_PREFIX = "mdo-operator-";

export interface OperatorFlags {
  readonly qps: number;
  readonly burst: number;
  readonly workers: number;
}

/** What the operator's /metrics said at one moment: counters summed by label. */
export interface OperatorCounters {
  /** mdo_api_requests_total by verb (every code). */
  readonly requests: Readonly<Record<string, number>>;
  /** mdo_reconcile_total, every result. */
  readonly reconciles: number;
  /** V8's heap in use and reserved, bytes (the operator's own process metrics). */
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
}

/** More of the command line, and who ends the process if the caller dies first. */
export interface OperatorStartOptions {
  /** Further `mdo operator` flags, e.g. `--namespace=ns`, `--prometheus-url=…`. */
  readonly args?: readonly string[];
  /**
   * Runs the operator in its own process group watched by the sandbox's reaper
   * (src/sandbox/processes.ts), so it does not outlive a test process that dies without stopping it.
   */
  readonly reap?: boolean;
  /** Node.js flags before the script (the chart runs the operator with NODE_OPTIONS; benchmarks mirror it). */
  readonly nodeFlags?: readonly string[];
  /** The operator's --log-level (default warn). */
  readonly logLevel?: string;
  /** The `mdo` script to run (default src/cmd/mdo.ts; benchmarks run the image's compiled dist/cmd/mdo.js). */
  readonly script?: string;
}

export interface OperatorUsage {
  readonly rssBytes: number;
  readonly hwmBytes: number;
  readonly cpuSeconds: number;
}

export class OperatorProcess {
  private readonly child: ChildProcess;
  readonly pid: number;
  /** host:port of its /healthz, /readyz and /metrics. */
  readonly healthAddress: string;
  private readonly metricsUrl: string;
  /** The reaper's directory (with `reap`), deleted once the process has ended. */
  private readonly reapDir: string | undefined;
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(child: ChildProcess, healthAddress: string, reapDir: string | undefined) {
    this.child = child;
    if (child.pid === undefined) throw new Error("Could not start the operator");
    this.pid = child.pid;
    this.healthAddress = healthAddress;
    this.metricsUrl = `http://${healthAddress}/metrics`;
    this.reapDir = reapDir;
    this.exit = new Promise((resolve) => child.once("exit", () => {
      this.exited = true;
      resolve();
    }));
  }

  /** Starts `mdo operator` against `kubeconfig` and waits until /readyz answers 200 (caches synced). */
  static async start(kubeconfig: string, flags: OperatorFlags, logFile: string, options: OperatorStartOptions = {}): Promise<OperatorProcess> {
    const [port] = await freePorts(1);
    const healthAddress = `127.0.0.1:${port}`;
    const reapDir = options.reap === true ? await mkdtemp(join(tmpdir(), OPERATOR_DIR_PREFIX)) : undefined;
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.script ?? MDO, "operator", `--kubeconfig=${kubeconfig}`, `--health-address=${healthAddress}`,
      `--qps=${flags.qps}`, `--burst=${flags.burst}`, `--workers=${flags.workers}`, `--log-level=${options.logLevel ?? "warn"}`,
      ...(options.args ?? [])], { stdio: ["ignore", "ignore", "pipe"], detached: reapDir !== undefined });
    child.stderr?.pipe(createWriteStream(logFile, { flags: "a" }));
    const operator = new OperatorProcess(child, healthAddress, reapDir);
    if (reapDir !== undefined) {
      await writePidFile(reapDir, [operator.pid]);
      startReaper(process.pid, reapDir);
    }
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline) {
      if (operator.exited) {
        await operator.forget();
        throw new Error(`The operator exited at start; see ${logFile}`);
      }
      const ok = await fetch(`http://${healthAddress}/readyz`).then((r) => r.ok, () => false);
      if (ok) return operator;
      await sleep(100);
    }
    await operator.stop();
    throw new Error(`The operator was not ready within 60 s; see ${logFile}`);
  }

  /** False once the process has ended, whatever ended it. */
  get alive(): boolean {
    return !this.exited;
  }

  usage(): OperatorUsage {
    const memory = readMemory(this.pid);
    return { rssBytes: memory?.rss ?? 0, hwmBytes: memory?.hwm ?? 0, cpuSeconds: processCpuSeconds(this.pid, TICKS) };
  }

  async counters(): Promise<OperatorCounters> {
    const page = await (await fetch(this.metricsUrl)).text();
    const requests: Record<string, number> = {};
    let reconciles = 0;
    let heapUsedBytes = 0;
    let heapTotalBytes = 0;
    for (const line of page.split("\n")) {
      const heap = /^mdo_process_nodejs_heap_size_(used|total)_bytes (\S+)$/.exec(line);
      if (heap?.[1] === "used") heapUsedBytes = Number(heap[2]);
      if (heap?.[1] === "total") heapTotalBytes = Number(heap[2]);
      const request = /^mdo_api_requests_total\{[^}]*verb="([A-Z]+)"[^}]*\} (\S+)$/.exec(line);
      if (request !== null) requests[request[1]!] = (requests[request[1]!] ?? 0) + Number(request[2]);
      const reconcile = /^mdo_reconcile_total\{[^}]*\} (\S+)$/.exec(line);
      if (reconcile !== null) reconciles += Number(reconcile[1]);
    }
    return { requests, reconciles, heapUsedBytes, heapTotalBytes };
  }

  /** Asks the operator to stop (SIGTERM; SIGKILL after 15 s) and waits until it has exited. */
  async stop(): Promise<void> {
    if (!this.exited) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
      await this.exit;
      clearTimeout(timer);
    }
    await this.forget();
  }

  /** A crash: SIGKILL, no shutdown of any kind, and waits until the process is gone. */
  async kill(): Promise<void> {
    if (!this.exited) {
      this.child.kill("SIGKILL");
      await this.exit;
    }
    await this.forget();
  }

  /** The process has ended: the reaper has nothing left to do. */
  private async forget(): Promise<void> {
    if (this.reapDir === undefined) return;
    await removePidFile(this.reapDir);
    await rm(this.reapDir, { recursive: true, force: true });
  }
}

/** `after` less `before`, per verb. */
export function requestDelta(before: OperatorCounters, after: OperatorCounters): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [verb, n] of Object.entries(after.requests)) {
    const d = n - (before.requests[verb] ?? 0);
    if (d > 0) delta[verb] = d;
  }
  return delta;
}

/** Requests that change something (everything but GET, LIST and WATCH). */
export function writesOf(requests: Readonly<Record<string, number>>): number {
  return Object.entries(requests).filter(([verb]) => !["GET", "LIST", "WATCH"].includes(verb)).reduce((sum, [, n]) => sum + n, 0);
}
