// The agent's public surface (used by src/cmd/ and tests).
export { startAgent, type AgentOptions, type RunningAgent } from "./agent.ts";
export { runAgentCommand, AGENT_USAGE } from "./command.ts";
export { AgentConfig, AgentConfigError, parseAgentConfig, validateAgentConfig } from "./config.ts";
export { noDrift, type DriftHook, type DriftReport, type FeatureDrift } from "./drift-hook.ts";
