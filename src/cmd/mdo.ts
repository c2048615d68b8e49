// `mdo`: the command of the MDO image. `mdo operator` runs the operator, `mdo agent` the sidecar;
// `mdo fetch|verify` deliver the model (init containers), `mdo digest` prints a model's digest;
// `mdo baseline build` makes drift baselines; `mdo promote|abort|retry|pause|resume` steer rollouts.
// Each command's modules are loaded when it runs: `mdo fetch` in an init container should not pay
// for the operator's and the agent's (about 60 MB of memory and half a second of start-up).
import { parseArgs } from "node:util";
import { ConfigError, OperatorConfig, envName, loadConfig } from "../operator/config.ts";
import { COMMAND_KINDS, type CommandKind } from "../rollout/commands.ts";

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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (COMMAND_KINDS.includes(command as CommandKind)) return (await import("../cli/rollout-command.ts")).runRolloutCommand(command as CommandKind, rest);
  switch (command) {
    case "operator":
      return operator(rest);
    case "agent":
      return (await import("../agent/command.ts")).runAgentCommand(rest);
    case "baseline":
      return (await import("../cli/baseline.ts")).runBaselineCommand(rest);
    case "fetch":
    case "verify":
    case "digest": {
      const stop = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort(new Error(`stopped by ${sig}`)));
      return (await import("../delivery/command.ts")).runDeliveryCommand(command, rest, stop.signal);
    }
    case undefined:
    case "help":
    case "--help":
      console.log("Usage: mdo <command>\n\nCommands:\n  operator   run the ModelDeployment operator (mdo operator --help)\n  agent      run the data-plane sidecar (mdo agent --help)\n  baseline   build a drift baseline profile from data (mdo baseline build --help)\n  fetch      download, verify and lay out a model (the pod's init container; mdo fetch --help)\n  verify     check a model on disk against its digest (mdo verify --help)\n  digest     print the digest that spec.model.digest pins, of a path or URI (mdo digest --help)\n  promote, abort, retry, pause, resume <name>\n             steer a rollout (mdo promote --help)");
      return command === undefined ? 2 : 0;
    default:
      console.error(`Unknown command ${command}; run mdo --help`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
