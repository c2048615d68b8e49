// `mdo operator`: flags and environment into the operator's configuration, then the operator.
// Loaded only by that command (zod and the operator's modules are not small).
import { ConfigError, OperatorConfig, envName, loadConfig } from "../operator/config.ts";
import { ClusterAccessError } from "../runtime/client/access/types.ts";
import { flagLines, parseCommandLine } from "../runtime/command-line.ts";

function operatorUsage(): string {
  const lines = ["Usage: mdo operator [flags]", "", "Runs the ModelDeployment operator. Flags (environment variable in brackets):"];
  lines.push(...flagLines(OperatorConfig.shape, OperatorConfig.parse({}), (o) => envName(o)));
  return lines.join("\n");
}

/** Runs the operator until it stops; 2 for a bad configuration or kubeconfig (its message printed), 3 when leadership was lost. */
export async function runOperatorCommand(argv: string[]): Promise<number> {
  try {
    return await operator(argv);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ClusterAccessError)) throw error;
    console.error(error.message);
    return 2;
  }
}

async function operator(argv: string[]): Promise<number> {
  const { help, flags } = parseCommandLine(Object.keys(OperatorConfig.shape), argv);
  if (help) {
    console.log(operatorUsage());
    return 0;
  }
  const config = loadConfig(flags, process.env);
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
  const { startOperator } = await import("../operator/run.ts");
  const running = await startOperator(config, stop.signal);
  const reason = await running.done;
  // Losing the Lease ends the process: a restarted pod rejoins the election with clean caches.
  return reason === "leadership-lost" ? 3 : 0;
}
