// Starts one target by name, in front of the running model-server stand-in.
import { startAgentTarget } from "./agent-target.ts";
import { startBareTarget } from "./bare-target.ts";
import type { BenchOptions } from "./flags.ts";
import { startNginxTarget } from "./nginx-target.ts";
import type { RunningTarget, TargetName } from "./target.ts";
import { directTarget, type Upstream } from "./upstream.ts";

export interface TargetContext {
  readonly upstream: Upstream;
  readonly workDir: string;
  readonly options: BenchOptions;
  /** The nginx binary; required when nginx is among the targets. */
  readonly nginxBinary: string | undefined;
}

export function startTarget(name: TargetName, context: TargetContext): Promise<RunningTarget> {
  const { upstream, workDir, options } = context;
  switch (name) {
    case "direct":
      return Promise.resolve(directTarget(upstream));
    case "agent":
    case "agent-drift":
    case "agent-shadow":
      return startAgentTarget({ name, upstreamPort: upstream.port, workDir, cpuProfileDir: options.cpuProfileDir });
    case "nginx":
      if (context.nginxBinary === undefined) throw new Error("nginx is a target but no nginx binary was found");
      return startNginxTarget({ binary: context.nginxBinary, upstreamPort: upstream.port, workDir, workers: options.nginxWorkers });
    case "bare-undici":
    case "bare-socket":
      return startBareTarget(name, upstream.port);
  }
}
