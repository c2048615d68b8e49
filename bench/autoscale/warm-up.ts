// One cold start before the measured rounds, against the agent benchmark's model-server stand-in
// (a Node.js server that answers at once): the code paths of the activator and of the clients
// in this process run once, so the first measured round does not carry this process's first-use
// costs (compilation, lazy loading), which a long-running activator pays once after it starts.
// Without it the first round was the slowest of every run (docs/benchmarks.md).
import { startUpstream } from "../agent/upstream.ts";
import { startActivatorHost, TARGET, TARGET_HOST } from "./activator-host.ts";
import { InferClient } from "./client.ts";
import type { IrisRepository } from "./iris-model.ts";
import { round3 } from "./stats.ts";

export interface WarmUp {
  readonly statuses: readonly number[];
  /** From directory.set to the last held request's hand-over and to its answer, ms. */
  readonly lastForwardedMs: number;
  readonly lastAnswerMs: number;
}

export async function warmUp(repo: IrisRepository, clients: number): Promise<WarmUp> {
  const upstream = await startUpstream();
  const host = await startActivatorHost(() => undefined);
  const client = new InferClient(host.origin, repo, { connections: clients, host: TARGET_HOST });
  try {
    const held = Array.from({ length: clients }, () => client.infer());
    while (host.activator.held(TARGET) < clients) await new Promise((resolve) => setTimeout(resolve, 5));
    const readyAt = performance.now();
    host.directory.set(TARGET, [upstream.origin]);
    const answers = await Promise.all(held);
    return {
      // The stand-in's answer is not the iris model's: only the status counts here.
      statuses: answers.map((a) => a.status),
      lastForwardedMs: round3(Math.max(...host.dispatchedAt) - readyAt),
      lastAnswerMs: round3(Math.max(...answers.map((a) => a.endAt)) - readyAt),
    };
  } finally {
    await host.close();
    await client.close();
    await upstream.process.stop();
  }
}
