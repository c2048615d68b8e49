// A real Prometheus (Debian's package, unpacked by scripts/prometheus-env) for tests: listens on
// 127.0.0.1, scrapes static targets with the labels the analysis queries expect (see
// src/analysis/prometheus/labels.ts: namespace and pod come from the scrape config), keeps its
// TSDB in a temporary directory, and runs detached in its own process group.
//
// Teardown is always complete: `stop()` ends the process group and deletes the directory; a
// reaper (src/sandbox/processes.ts) does the same if the test process dies first.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { get, waitForHealthy } from "../../src/sandbox/http-probe.ts";
import { freePorts } from "../../src/sandbox/ports.ts";
import { removePidFile, startProcess, startReaper, stopProcessGroups, writePidFile } from "../../src/sandbox/processes.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENV_SCRIPT = join(ROOT, "scripts/prometheus-env");
/** Every Prometheus directory starts with this (`pgrep -fa mdo-prometheus-` finds strays). */
export const PROMETHEUS_DIR_PREFIX = "mdo-prometheus-";

export interface ScrapeTarget {
  /** host:port of a metrics endpoint on 127.0.0.1 (path /metrics). */
  readonly address: string;
  /** Target labels, e.g. { namespace, pod } as a kubernetes_sd_configs relabeling would set them. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface StartPrometheusOptions {
  readonly targets: readonly ScrapeTarget[];
  /** Default 1000 ms; also the rule evaluation interval. */
  readonly scrapeIntervalMs?: number;
  /** Rule files to load (absolute paths), evaluated every scrape interval. */
  readonly ruleFiles?: readonly string[];
  readonly log?: (message: string) => void;
}

export interface RunningPrometheus {
  /** http://127.0.0.1:<port>, no trailing slash. */
  readonly url: string;
  readonly pid: number;
  readonly dir: string;
  /** Waits until every target has been scraped successfully at least once (up == 1). */
  waitForTargets(timeoutMs?: number): Promise<void>;
  /** Ends the process group and deletes the directory. Idempotent. */
  stop(): Promise<void>;
}

/** Runs scripts/prometheus-env; returns the binary's path. */
export async function prometheusBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", [ENV_SCRIPT], { timeout: 5 * 60_000 });
  const path = stdout.trim().split("\n").pop();
  if (path === undefined || path === "") throw new Error("scripts/prometheus-env printed no path");
  return path;
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const log = options.log ?? ((m: string) => console.log(`[prometheus] ${m}`));
  const binary = await prometheusBinary();
  const dir = await mkdtemp(join(tmpdir(), PROMETHEUS_DIR_PREFIX));
  await writePidFile(dir, []);
  startReaper(process.pid, dir);
  const interval = `${options.scrapeIntervalMs ?? 1000}ms`;
  // JSON is YAML: no YAML writer needed.
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    ...(options.ruleFiles !== undefined && { rule_files: options.ruleFiles }),
    scrape_configs: [{
      job_name: "mdo-agents",
      static_configs: options.targets.map((t) => ({ targets: [t.address], labels: t.labels })),
    }],
  };
  await writeFile(join(dir, "prometheus.yml"), JSON.stringify(config, null, 2));
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port!}`;
  const started = startProcess("prometheus", binary, [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port!}`,
    "--log.level=warn",
  ], dir);
  await writePidFile(dir, [started.pid]);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await removePidFile(dir);
    await stopProcessGroups([started.pid], 10_000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const exited = started.exited.then(async (why) => `exited (${String(why)}); log:\n${await readFile(started.logFile, "utf8").catch(() => "")}`);
    await waitForHealthy("Prometheus", { url: `${url}/-/ready` }, 30_000, exited);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Prometheus ready at ${url} (pid ${started.pid}, ${options.targets.length} targets every ${interval})`);
  return {
    url, pid: started.pid, dir, stop,
    waitForTargets: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < deadline) {
        const answer = await get({ url: `${url}/api/v1/query?query=${encodeURIComponent("min(up)")}` });
        last = answer.body;
        const value = (JSON.parse(answer.body) as { data?: { result?: { value?: [number, string] }[] } }).data?.result?.[0]?.value?.[1];
        if (value === "1") return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`Prometheus targets not all up after ${timeoutMs} ms: ${last}`);
    },
  };
}
