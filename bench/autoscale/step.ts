// A step of load at zero: `clients` clients start at once, each sending its next request as soon
// as the last one is answered, against a target with no pod; the activator's onDemand starts one
// (fresh MLServer and agent) and the benchmark gives it to the activator the instant it answers
// ready (polled every pollMs). The load goes on for `duration` seconds after that. Every request
// must be answered 200 with the model's predictions: lost = anything else, connection errors
// included.
import { LatencyRecorder, type LatencySummary } from "../agent/latency.ts";
import { startActivatorHost, TARGET, TARGET_HOST } from "./activator-host.ts";
import { InferClient } from "./client.ts";
import type { IrisRepository } from "./iris-model.ts";
import { startPod, type Pod } from "./pod.ts";
import { pollUntilReady } from "./ready-poll.ts";
import { round3 } from "./stats.ts";

export interface StepOptions {
  readonly clients: number;
  readonly duration: number;
  readonly pollMs: number;
  readonly agent: boolean;
}

export interface StepResult {
  readonly clients: number;
  readonly requests: number;
  /** Answers by status; "0" counts connection errors. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Not answered 200 with the model's predictions. */
  readonly lost: number;
  readonly firstLostError: string | undefined;
  /** Answers that carried x-mdo-cold-start (the requests that were held). */
  readonly held: number;
  /** The most requests held at once (at the ready instant). */
  readonly heldAtReady: number;
  /** From the step (the first request sent) to onDemand, to the pod ready, to the first answer. */
  readonly stepToDemandMs: number;
  readonly stepToReadyMs: number;
  readonly stepToFirstAnswerMs: number;
  /** The first answer after the ready instant. */
  readonly readyToFirstAnswerMs: number;
  /** The last held request's answer after the ready instant. */
  readonly readyToLastHeldAnswerMs: number;
  /** Requests sent after the ready instant: answers per second and latency from their send. */
  readonly afterReadyRps: number;
  readonly afterReadyLatency: LatencySummary;
}

export async function runStep(repo: IrisRepository, options: StepOptions): Promise<StepResult> {
  let demandAt = NaN;
  let readyAt = Infinity;
  let stopAt = Infinity;
  let heldAtReady = 0;
  let pod: Pod | undefined;
  let failure: Error | undefined;
  let started!: Promise<void>;
  const host = await startActivatorHost(() => {
    demandAt = performance.now();
    started = (async () => {
      pod = await startPod(repo, options.agent, "step");
      const ready = await pollUntilReady(pod.backendReadyUrl, { periodMs: options.pollMs, timeoutMs: 120_000, abandon: pod.exited });
      readyAt = ready.at;
      heldAtReady = host.activator.held(TARGET);
      host.directory.set(TARGET, [pod.backendUrl]);
      stopAt = readyAt + options.duration * 1000;
    })().catch(async (error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
      stopAt = performance.now();
      await host.close();
    });
  });
  const client = new InferClient(host.origin, repo, { connections: options.clients, host: TARGET_HOST });
  const byStatus: Record<string, number> = {};
  const latency = new LatencyRecorder();
  let requests = 0;
  let lost = 0;
  let held = 0;
  let firstAnswerAt = Infinity;
  let lastHeldAt = -Infinity;
  let firstLostError: string | undefined;
  const stepAt = performance.now();
  try {
    const caller = async (): Promise<void> => {
      while (performance.now() < stopAt) {
        const answer = await client.infer();
        requests++;
        byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
        if (!answer.correct) {
          lost++;
          firstLostError ??= answer.error;
          continue;
        }
        firstAnswerAt = Math.min(firstAnswerAt, answer.endAt);
        if (answer.coldStartMs !== undefined) {
          held++;
          lastHeldAt = Math.max(lastHeldAt, answer.endAt);
        }
        if (answer.sentAt >= readyAt) latency.record(answer.endAt - answer.sentAt);
      }
    };
    await Promise.all(Array.from({ length: options.clients }, () => caller()));
    await started;
    if (failure !== undefined) throw failure;
  } finally {
    await host.close();
    await client.close();
    await pod?.stop();
  }
  const afterReady = latency.summary();
  return {
    clients: options.clients,
    requests,
    byStatus,
    lost,
    firstLostError,
    held,
    heldAtReady,
    stepToDemandMs: round3(demandAt - stepAt),
    stepToReadyMs: round3(readyAt - stepAt),
    stepToFirstAnswerMs: round3(firstAnswerAt - stepAt),
    readyToFirstAnswerMs: round3(firstAnswerAt - readyAt),
    readyToLastHeldAnswerMs: round3(lastHeldAt - readyAt),
    afterReadyRps: Math.round(afterReady.count / options.duration),
    afterReadyLatency: afterReady,
  };
}
