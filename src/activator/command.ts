// `mdo activator`: flags and environment into the activator's configuration, then the activator
// until SIGTERM or SIGINT. Returns the exit code; the caller in src/cmd/ exits.
import { ClusterAccessError } from "../runtime/client/access/types.ts";
import { flagLines, parseCommandLine, type CommandLine } from "../runtime/command-line.ts";
import { ActivatorConfig, ActivatorConfigError, activatorEnvName, loadActivatorConfig } from "./config.ts";


export function activatorUsage(): string {
  const lines = [
    "Usage: mdo activator --operator-url <url> [flags]", "",
    "Runs the MDO activator: it stands in for the Service of a ModelDeployment scaled to zero, holds",
    "its requests, asks the operator for a pod and forwards the held requests once one is ready.",
    "Flags (environment variable in brackets):",
  ];
  lines.push(...flagLines(ActivatorConfig.shape, ActivatorConfig.partial({ operatorUrl: true }).parse({}), activatorEnvName));
  return lines.join("\n");
}

/** Exit codes: 0 after a graceful stop, 2 for bad usage, configuration or kubeconfig (its message printed). Other failures throw. */
export async function runActivatorCommand(argv: string[]): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(Object.keys(ActivatorConfig.shape), argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${activatorUsage()}`);
    return 2;
  }
  if (line.help) {
    console.log(activatorUsage());
    return 0;
  }
  const { flags } = line;
  try {
    return await run(loadActivatorConfig(flags, process.env));
  } catch (error) {
    if (!(error instanceof ActivatorConfigError || error instanceof ClusterAccessError)) throw error;
    console.error(error.message);
    return 2;
  }
}

async function run(config: ActivatorConfig): Promise<number> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  try {
    const { startActivator } = await import("./run.ts");
    const running = await startActivator(config, stop.signal);
    await running.done;
    return 0;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}
