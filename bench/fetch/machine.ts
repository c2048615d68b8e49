// The machine and the programs a run used, recorded with its results.
import { execFileSync } from "node:child_process";
import { describeBaseMachine, packageVersion, type BaseMachine } from "../common/machine.ts";

export interface Machine extends BaseMachine {
  readonly awsSdk: string;
  readonly awsCli: string;
  readonly moto: string;
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
    ...describeBaseMachine(),
    awsSdk: packageVersion("@aws-sdk/client-s3"),
    awsCli: output(tools.awsCli, ["--version"]),
    moto: output(tools.python, ["-c", "import moto; print(moto.__version__)"]),
  };
}
