// Waiting for the model server beside the worker: in a batch pod it starts with the worker (a
// native sidecar) and may take minutes to load the model. The worker polls the Open Inference
// Protocol's model readiness endpoint before its first call.
import { request } from "undici";
import { InferenceError } from "./errors.ts";
import type { Sleep } from "./retry.ts";

/** Time between two readiness polls. */
export const READY_POLL_MS = 500;

/**
 * Resolves once GET {modelUrl}/v2/models/{modelName}/ready answers 200. Connection errors and
 * other answers mean "not yet". Throws InferenceError (fatal) when `timeoutMs` passes first, and
 * the abort reason when `signal` aborts.
 */
export async function waitForModelReady(modelUrl: string, modelName: string, timeoutMs: number, signal: AbortSignal, sleep: Sleep, now: () => number = Date.now): Promise<void> {
  const url = `${modelUrl.replace(/\/+$/, "")}/v2/models/${encodeURIComponent(modelName)}/ready`;
  const deadline = now() + timeoutMs;
  let last: string;
  for (;;) {
    signal.throwIfAborted();
    try {
      const answer = await request(url, { method: "GET", signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
      await answer.body.dump();
      if (answer.statusCode === 200) return;
      last = `HTTP ${answer.statusCode}`;
    } catch (error) {
      signal.throwIfAborted();
      last = error instanceof Error ? error.message : String(error);
    }
    if (now() >= deadline) {
      throw new InferenceError("fatal", `Model ${modelName} at ${modelUrl} was not ready within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    }
    await sleep(READY_POLL_MS, signal);
  }
}
