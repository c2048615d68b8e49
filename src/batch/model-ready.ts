// Waiting for the model server beside the worker: in a batch pod it starts with the worker (a
// native sidecar) and may take minutes to load the model. The worker polls the Open Inference
// Protocol's model readiness endpoint before its first call.
import { request } from "undici";
import { BatchConfigError, InferenceError } from "./errors.ts";
import type { Sleep } from "./retry.ts";

/** Time between two readiness polls. */
export const READY_POLL_MS = 500;
/**
 * Polls in a row in which the server is ready but knows no model of that name before the wait
 * gives up: the name is wrong (a model shipped with its own model-settings.json names itself),
 * and waiting longer cannot help.
 */
export const UNKNOWN_MODEL_POLLS = 6;

/**
 * Resolves once GET {modelUrl}/v2/models/{modelName}/ready answers 200. Connection errors and
 * other answers mean "not yet". Throws InferenceError (fatal) when `timeoutMs` passes first,
 * BatchConfigError when the server is ready (/v2/health/ready 200) but answers 404 for the model
 * UNKNOWN_MODEL_POLLS times in a row, and the abort reason when `signal` aborts.
 */
export async function waitForModelReady(modelUrl: string, modelName: string, timeoutMs: number, signal: AbortSignal, sleep: Sleep, now: () => number = Date.now): Promise<void> {
  const url = `${modelUrl.replace(/\/+$/, "")}/v2/models/${encodeURIComponent(modelName)}/ready`;
  const deadline = now() + timeoutMs;
  let last: string;
  let unknown = 0;
  for (;;) {
    signal.throwIfAborted();
    try {
      const status = await getStatus(url, signal);
      if (status === 200) return;
      last = `HTTP ${status}`;
      unknown = status === 404 && await getStatus(`${modelUrl.replace(/\/+$/, "")}/v2/health/ready`, signal) === 200 ? unknown + 1 : 0;
      if (unknown >= UNKNOWN_MODEL_POLLS) {
        throw new BatchConfigError(`The model server at ${modelUrl} is ready but serves no model named ${modelName} (GET /v2/models/${modelName}/ready: 404); a model shipped with its own model-settings.json must be named ${modelName}`);
      }
    } catch (error) {
      if (error instanceof BatchConfigError) throw error;
      signal.throwIfAborted();
      last = error instanceof Error ? error.message : String(error);
    }
    if (now() >= deadline) {
      throw new InferenceError("fatal", `Model ${modelName} at ${modelUrl} was not ready within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    }
    await sleep(READY_POLL_MS, signal);
  }
}

async function getStatus(url: string, signal: AbortSignal): Promise<number> {
  const answer = await request(url, { method: "GET", signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
  await answer.body.dump();
  return answer.statusCode;
}
