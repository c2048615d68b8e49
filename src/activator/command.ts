// `mdo activator`: flags and environment into the activator's configuration, then the activator
// until SIGTERM or SIGINT. Returns the exit code; the caller in src/cmd/ exits.
import { parseArgs } from "node:util";
import { ClusterAccessError } from "../runtime/client/access/types.ts";
import { ActivatorConfig, ActivatorConfigError, activatorEnvName, loadActivatorConfig } from "./config.ts";

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function activatorUsage(): string {
  const lines = [
    "Usage: mdo activator --operator-url <url> [flags]", "",
    "Runs the MDO activator: it stands in for the Service of a ModelDeployment scaled to zero, holds",
    "its requests, asks the operator for a pod and forwards the held requests once one is ready.",
    "Flags (environment variable in brackets):",
  ];
  const defaults = ActivatorConfig.partial({ operatorUrl: true }).parse({}) as Record<string, string | number | undefined>;
  for (const [key, schema] of Object.entries(ActivatorConfig.shape)) {
    const fallback = defaults[key] === undefined ? "" : ` (default ${String(defaults[key])})`;
    lines.push(`  --${kebab(key).padEnd(23)} ${schema.description ?? ""}${fallback} [${activatorEnvName(key)}]`);
  }
  return lines.join("\n");
}

/** Exit codes: 0 after a graceful stop, 2 for bad usage, configuration or kubeconfig (its message printed). Other failures throw. */
export async function runActivatorCommand(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.keys(ActivatorConfig.shape).map((k) => [kebab(k), { type: "string" as const }]));
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, strict: true }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${activatorUsage()}`);
    return 2;
  }
  if (values.help === true) {
    console.log(activatorUsage());
    return 0;
  }
  const flags = Object.fromEntries(Object.entries(values).filter(([k]) => k !== "help").map(([k, v]) => [camel(k), typeof v === "string" ? v : undefined]));
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
