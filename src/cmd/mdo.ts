// `mdo`: the command of the MDO image. `mdo operator` runs the operator, `mdo agent` the sidecar;
// `mdo fetch|verify` deliver the model (init containers), `mdo digest` prints a model's digest;
// `mdo baseline build` makes drift baselines; `mdo batch run` runs a shard of a batch prediction;
// `mdo promote|abort|retry|pause|resume` steer rollouts.
// `mdo dashboard` serves a web UI of ModelDeployments (read-only unless --allow-writes).
// `mdo get|list` show ModelDeployments (also as `kubectl mdo`); `mdo render` prints a file's children.
// Each command's modules are loaded when it runs: `mdo fetch` in an init container should not pay
// for the operator's and the agent's (about 60 MB of memory and half a second of start-up).
import { COMMAND_KINDS, type CommandKind } from "../rollout/commands.ts";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (COMMAND_KINDS.includes(command as CommandKind)) return (await import("../cli/rollout-command.ts")).runRolloutCommand(command as CommandKind, rest);
  switch (command) {
    case "operator":
      return (await import("./operator-command.ts")).runOperatorCommand(rest);
    case "agent":
      return (await import("../agent/command.ts")).runAgentCommand(rest);
    case "activator":
      return (await import("../activator/command.ts")).runActivatorCommand(rest);
    case "baseline":
      return (await import("../cli/baseline.ts")).runBaselineCommand(rest);
    case "batch":
      return (await import("../batch/command.ts")).runBatchCommand(rest);
    case "get": {
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort(new Error("stopped by SIGINT")));
      return (await import("../cli/get-command.ts")).runGetCommand(rest, { signal: stop.signal });
    }
    case "list":
      return (await import("../cli/list-command.ts")).runListCommand(rest);
    case "render":
      return (await import("../cli/render-command.ts")).runRenderCommand(rest);
    case "dashboard":
      return (await import("../dashboard/command.ts")).runDashboardCommand(rest);
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
      console.log("Usage: mdo <command>\n\nCommands:\n  operator   run the ModelDeployment operator (mdo operator --help)\n  agent      run the data-plane sidecar (mdo agent --help)\n  activator  hold requests of ModelDeployments scaled to zero until a pod is ready (mdo activator --help)\n  baseline   build a drift baseline profile from data (mdo baseline build --help)\n  batch      run one shard of a batch prediction against a model server (mdo batch run --help)\n  fetch      download, verify and lay out a model (the pod's init container; mdo fetch --help)\n  verify     check a model on disk against its digest (mdo verify --help)\n  digest     print the digest that spec.model.digest pins, of a path or URI (mdo digest --help)\n  get        show a ModelDeployment's revisions, rollout, analysis and drift as a tree (mdo get --help)\n  list       list ModelDeployments with phase, versions and readiness (mdo list --help)\n  render <file>\n             print the objects the operator would create for a ModelDeployment file (mdo render --help)\n  dashboard  serve a web UI of ModelDeployments, read-only unless --allow-writes (mdo dashboard --help)\n  promote, abort, retry, pause, resume <name>\n             steer a rollout (mdo promote --help)");
      return command === undefined ? 2 : 0;
    default:
      console.error(`Unknown command ${command}; run mdo --help`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
