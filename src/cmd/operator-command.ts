// `mdo operator`: flags and environment into the operator's configuration, then the operator.
// Loaded only by that command (zod and the operator's modules are not small).
import { parseArgs } from "node:util";
import { ConfigError, OperatorConfig, envName, loadConfig } from "../operator/config.ts";
import { ClusterAccessError } from "../runtime/client/access/types.ts";

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function operatorUsage(): string {
  const lines = ["Usage: mdo operator [flags]", "", "Runs the ModelDeployment operator. Flags (environment variable in brackets):"];
  const defaults = OperatorConfig.parse({}) as Record<string, string | number | boolean | undefined>;
  for (const [key, schema] of Object.entries(OperatorConfig.shape)) {
    const fallback = defaults[key] === undefined ? "" : ` (default ${String(defaults[key])})`;
    lines.push(`  --${kebab(key).padEnd(18)} ${schema.description ?? ""}${fallback} [${envName(key)}]`);
  }
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
  const options = Object.fromEntries(Object.keys(OperatorConfig.shape).map((k) => [kebab(k), { type: "string" as const }]));
  const { values } = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, strict: true });
  if (values.help === true) {
    console.log(operatorUsage());
    return 0;
  }
  const flags = Object.fromEntries(Object.entries(values).filter(([k]) => k !== "help").map(([k, v]) => [camel(k), v]));
  const config = loadConfig(flags, process.env);
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
  const { startOperator } = await import("../operator/run.ts");
  const running = await startOperator(config, stop.signal);
  const reason = await running.done;
  // Losing the Lease ends the process: a restarted pod rejoins the election with clean caches.
  return reason === "leadership-lost" ? 3 : 0;
}
