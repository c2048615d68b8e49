// Polling a readiness URL the way the benchmark learns that a pod is ready: one GET every
// `periodMs` (a new probe as soon as the last one answered and the period passed), each with a
// short timeout, until one answers 200.
import { setTimeout as sleep } from "node:timers/promises";
import { get } from "../../src/sandbox/http-probe.ts";

export interface PollOptions {
  readonly periodMs: number;
  readonly timeoutMs: number;
  /** Settles (with a reason) when the process behind the URL died: the wait ends at once. */
  readonly abandon?: Promise<string>;
}

/** performance.now() at the moment the first 200 answer ended; throws after timeoutMs. */
export async function pollUntilReady(url: string, options: PollOptions): Promise<{ at: number; probes: number }> {
  let abandoned: string | undefined;
  void options.abandon?.then((why) => (abandoned = why));
  const deadline = performance.now() + options.timeoutMs;
  let last = "no answer";
  for (let probes = 1; performance.now() < deadline; probes++) {
    if (abandoned !== undefined) throw new Error(`${url} will never be ready: ${abandoned}`);
    const sent = performance.now();
    try {
      const { status } = await get({ url }, 1000);
      if (status === 200) return { at: performance.now(), probes };
      last = `status ${status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    const wait = sent + options.periodMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  throw new Error(`${url} was not ready within ${options.timeoutMs} ms (last: ${last})`);
}
