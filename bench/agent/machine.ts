// The machine a run happened on, recorded with its results.
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { resolve } from "node:path";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly undici: string;
  readonly nginx: string | undefined;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine. */
  readonly loadAverage: readonly number[];
}

function packageVersion(name: string): string {
  const file = resolve(import.meta.dirname, "../../node_modules", name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

export function describeMachine(nginx: string | undefined): Machine {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    undici: packageVersion("undici"),
    nginx,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
