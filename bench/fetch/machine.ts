// The machine and the programs a run used, recorded with its results.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { resolve } from "node:path";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly awsSdk: string;
  readonly awsCli: string;
  readonly moto: string;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine. */
  readonly loadAverage: readonly number[];
}

function packageVersion(name: string): string {
  const file = resolve(import.meta.dirname, "../../node_modules", name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function output(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", env: { ...process.env, AWS_CONFIG_FILE: "/dev/null" } }).trim();
  } catch {
    return "unknown";
  }
}

export function describeMachine(tools: { awsCli: string; python: string }): Machine {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    awsSdk: packageVersion("@aws-sdk/client-s3"),
    awsCli: output(tools.awsCli, ["--version"]),
    moto: output(tools.python, ["-c", "import moto; print(moto.__version__)"]),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
