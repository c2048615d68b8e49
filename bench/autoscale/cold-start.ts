// Cold-start added latency, one round: the target has no backend; `clients` requests go to the
// in-process activator and are held; its onDemand starts a fresh pod; the benchmark polls the
// pod's readiness every pollMs and, the instant it answers ready, (a) gives the activator the
// pod (directory.set) and (b) sends one request directly to the same backend on a new
// connection. Each held answer's end is compared with the direct answer's end: the difference is
// what the activator added once the pod was ready. What a cluster adds before that instant (the
// kubelet's probe period, the pod watch's delivery) is not in this benchmark.
import { startActivatorHost, TARGET, TARGET_HOST } from "./activator-host.ts";
import { InferClient, type Answer } from "./client.ts";
import type { IrisRepository } from "./iris-model.ts";
import { startPod, type Pod } from "./pod.ts";
import { pollUntilReady } from "./ready-poll.ts";
import { round3 } from "./stats.ts";

export interface ColdStartOptions {
  readonly clients: number;
  readonly pollMs: number;
  readonly agent: boolean;
}

export interface HeldAnswer {
  readonly status: number;
  readonly correct: boolean;
  /** The x-mdo-cold-start header (ms held, by the activator's clock); undefined when missing. */
  readonly coldStartHeaderMs: number | undefined;
  /** From the ready instant to the end of the answer. */
  readonly fromReadyMs: number;
  /** fromReadyMs minus the direct request's. */
  readonly addedMs: number;
  readonly error: string | undefined;
}

export interface ColdStartRound {
  readonly round: number;
  /** From onDemand to MLServer's own model readiness (polled alongside). */
  readonly demandToModelReadyMs: number;
  /** From onDemand to the backend answering ready (the agent's /readyz, or MLServer's model readiness): t_ready. */
  readonly demandToReadyMs: number;
  /** Requests the activator held at the ready instant (must be all of them). */
  readonly heldAtReady: number;
  /** The direct request: from the ready instant to the end of its answer (the baseline). */
  readonly directMs: number;
  readonly directStatus: number;
  readonly held: readonly HeldAnswer[];
  /** From the ready instant to each held request's hand-over to the activator's HTTP client (the activator's own part). */
  readonly forwardedAfterReadyMs: readonly number[];
  /** Held requests not answered 200 with the model's predictions and the cold-start header. */
  readonly lost: number;
}

const READY_TIMEOUT_MS = 120_000;

export async function coldStartRound(repo: IrisRepository, round: number, options: ColdStartOptions): Promise<ColdStartRound> {
  let demandAt = NaN;
  let demanded!: () => void;
  const demand = new Promise<void>((resolve) => (demanded = resolve));
  const host = await startActivatorHost(() => {
    demandAt = performance.now();
    demanded();
  });
  const clients = new InferClient(host.origin, repo, { connections: options.clients, host: TARGET_HOST });
  let pod: Pod | undefined;
  let direct: InferClient | undefined;
  try {
    const held = Array.from({ length: options.clients }, () => clients.infer());
    await demand;
    pod = await startPod(repo, options.agent, `cold-${round}`);
    const modelReady = pollUntilReady(pod.modelReadyUrl, { periodMs: options.pollMs, timeoutMs: READY_TIMEOUT_MS, abandon: pod.exited });
    // Created before the ready instant; it connects on its first request, as the activator does.
    direct = new InferClient(pod.backendUrl, repo, { connections: 1 });
    const ready = await pollUntilReady(pod.backendReadyUrl, { periodMs: options.pollMs, timeoutMs: READY_TIMEOUT_MS, abandon: pod.exited });
    const heldAtReady = host.activator.held(TARGET);
    // The same instant: the activator learns of the pod, and the baseline request leaves.
    host.directory.set(TARGET, [pod.backendUrl]);
    const directAnswer = direct.infer();
    const [baseline, answers, model] = await Promise.all([directAnswer, Promise.all(held), modelReady]);
    const directMs = baseline.endAt - ready.at;
    return {
      round,
      demandToModelReadyMs: round3(model.at - demandAt),
      demandToReadyMs: round3(ready.at - demandAt),
      heldAtReady,
      directMs: round3(directMs),
      directStatus: baseline.correct ? baseline.status : 0,
      held: answers.map((a) => heldAnswer(a, ready.at, directMs)),
      forwardedAfterReadyMs: host.dispatchedAt.map((at) => round3(at - ready.at)),
      lost: answers.filter((a) => !a.correct || a.coldStartMs === undefined).length,
    };
  } finally {
    // The activator first: it answers whatever it still holds (after a failure), so the
    // clients' pool has nothing in flight left to wait for.
    await host.close();
    await clients.close();
    await direct?.close();
    await pod?.stop();
  }
}

function heldAnswer(answer: Answer, readyAt: number, directMs: number): HeldAnswer {
  const fromReadyMs = answer.endAt - readyAt;
  return {
    status: answer.status,
    correct: answer.correct,
    coldStartHeaderMs: answer.coldStartMs,
    fromReadyMs: round3(fromReadyMs),
    addedMs: round3(fromReadyMs - directMs),
    error: answer.error,
  };
}
