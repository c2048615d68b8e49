// `mdo agent --config <file>`: reads and validates the agent configuration, runs the agent until
// SIGTERM or SIGINT, drains, and returns the exit code (the caller in src/cmd/ exits).
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createLogger } from "../runtime/logging.ts";
import { realClock } from "../runtime/clock.ts";
import { startAgent } from "./agent.ts";
import { loadDriftHook } from "./drift.ts";
import { AgentConfigError, parseAgentConfig, type AgentConfig } from "./config.ts";

export const AGENT_USAGE = [
  "Usage: mdo agent --config <file> [--log-level <level>]",
  "",
  "Runs the MDO agent: the data-plane sidecar in front of the model server (proxy, metrics,",
  "prediction cache, API-key auth, limits, drift).",
  "  --config      agent configuration (JSON written by the operator into the agent ConfigMap)",
  "  --log-level   error, warn, info (default) or debug",
].join("\n");

/** Exit codes: 0 after a graceful stop, 2 for bad usage or configuration. Other failures throw. */
export async function runAgentCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  let values: { config?: string | undefined; "log-level"?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: "string" }, "log-level": { type: "string" }, help: { type: "boolean" } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${AGENT_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(AGENT_USAGE);
    return 0;
  }
  if (values.config === undefined) {
    console.error(`Missing --config\n\n${AGENT_USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(values.config, "utf8");
  } catch (error) {
    console.error(`Could not read the agent configuration ${values.config}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const config = parseConfig(text);
  if (config === undefined) return 2;
  const logger = createLogger({ level: values["log-level"] ?? "info" });
  const stop = stopSignal(signal);
  try {
    const drift = await loadDriftHook(config, realClock, logger);
    const agent = await startAgent(config, { logger, drift });
    const reason = await stop.stopped;
    logger.info("Draining the agent", { reason });
    await agent.stop();
  } finally {
    stop.dispose();
  }
  return 0;
}

/** The validated configuration, or undefined after printing why it is invalid. */
function parseConfig(text: string): AgentConfig | undefined {
  try {
    return parseAgentConfig(text);
  } catch (error) {
    if (!(error instanceof AgentConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

/** Resolves with the reason on SIGTERM or SIGINT, or when `outer` aborts. */
function stopSignal(outer: AbortSignal | undefined): { stopped: Promise<string>; dispose(): void } {
  let resolve: (reason: string) => void = () => undefined;
  const stopped = new Promise<string>((r) => (resolve = r));
  const onSignal = (name: NodeJS.Signals): void => resolve(name);
  const onAbort = (): void => resolve("aborted");
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  if (outer?.aborted === true) onAbort();
  outer?.addEventListener("abort", onAbort, { once: true });
  return {
    stopped,
    dispose: () => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}
