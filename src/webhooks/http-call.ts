// One rollout webhook called over HTTP with its timeout and retries.
import { request, type Dispatcher } from "undici";
import { parseDuration } from "../api/duration.ts";
import type { WebhookSpec } from "../api/webhooks.ts";
import type { Clock } from "../runtime/clock.ts";
import type { WebhookResult } from "../rollout/hook-state.ts";
import { WebhookCallError } from "./errors.ts";
import type { WebhookBody } from "./types.ts";

/** At most this much of an answer's body reaches status, Events or logs. */
export const MAX_ANSWER_CHARS = 256;
/** Bytes of the answer read before the connection is dropped. */
const READ_BYTES = 4096;
const DEFAULT_TIMEOUT_MS = 10_000;
const RETRY_DELAY_MS = 1000;

export interface CallOptions {
  readonly dispatcher?: Dispatcher;
  /** Waits between attempts (the operator's clock; tests pass one that does not sleep). */
  readonly clock: Pick<Clock, "sleep">;
  /** Aborts the current attempt and all further ones. */
  readonly signal?: AbortSignal;
}

interface Attempt {
  status?: number;
  /** "answered 503: busy" or "no answer within 10000 ms". */
  text: string;
}

/**
 * POSTs `body` as JSON to the hook. An attempt that gets no answer within the hook's timeout, no
 * answer at all, or a 5xx answer is repeated up to `retries` times, 1 s apart; any other answer
 * is final. The result passes on a 2xx answer. Its message never contains the URL (it may hold
 * credentials) and at most MAX_ANSWER_CHARS characters of the answer's body.
 */
export async function callWebhook(hook: WebhookSpec, body: WebhookBody, options: CallOptions): Promise<WebhookResult> {
  const timeoutMs = parseDuration(hook.timeout) ?? DEFAULT_TIMEOUT_MS;
  const attempts = 1 + hook.retries;
  let last: Attempt = { text: "not called" };
  let made = 0;
  while (made < attempts && options.signal?.aborted !== true) {
    if (made > 0) await options.clock.sleep(RETRY_DELAY_MS);
    made += 1;
    last = await attempt(hook.url, JSON.stringify(body), timeoutMs, options);
    if (last.status !== undefined && last.status < 500) break;
  }
  const tries = made > 1 ? ` (after ${made} attempts)` : "";
  return {
    name: hook.name,
    passed: last.status !== undefined && last.status >= 200 && last.status < 300,
    ...(last.status === undefined ? {} : { status: last.status }),
    message: `${last.text}${tries}`,
  };
}

async function attempt(url: string, json: string, timeoutMs: number, options: CallOptions): Promise<Attempt> {
  try {
    return await exchange(url, json, timeoutMs, options);
  } catch (error) {
    return { text: error instanceof WebhookCallError ? error.message : "request failed" };
  }
}

async function exchange(url: string, json: string, timeoutMs: number, options: CallOptions): Promise<Attempt> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  try {
    const res = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "mdo-operator" },
      body: json,
      signal,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    const answer = snippet(await readSome(res.body));
    return { status: res.statusCode, text: `answered ${res.statusCode}${answer === "" ? "" : `: ${answer}`}` };
  } catch (error) {
    const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : options.signal?.aborted === true ? "aborted" : `request failed: ${codeOf(error)}`;
    throw new WebhookCallError(why, { cause: error });
  }
}

/** The first READ_BYTES of a body; the rest is not read (the connection is dropped). */
async function readSome(body: Dispatcher.ResponseData["body"]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= READ_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, READ_BYTES);
}

/** One line of at most MAX_ANSWER_CHARS characters, control characters and runs of spaces collapsed. */
export function snippet(bytes: Buffer): string {
  const text = bytes.toString("utf8").replace(/[\p{Cc}\s]+/gu, " ").trim();
  return text.length <= MAX_ANSWER_CHARS ? text : `${text.slice(0, MAX_ANSWER_CHARS - 1)}…`;
}

/** A short, URL-free description of a network error (its code, else its message). */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, MAX_ANSWER_CHARS);
}
