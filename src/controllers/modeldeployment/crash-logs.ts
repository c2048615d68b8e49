// Log excerpts of crash-looping containers that left no termination message (they exited 0),
// read once per restart, so status can say what the container itself said.
import type { V1Pod } from "@kubernetes/client-node";
import type { KubeClient } from "../../runtime/client/kube-client.ts";
import type { Logger } from "../../runtime/logging.ts";
import { isCrashLooping } from "./status/container-failures.ts";
import { crashLogKey, errorExcerpt } from "./status/log-excerpt.ts";

/** Lines read from the end of the previous run's log, and a byte bound on them. */
const TAIL_LINES = 60;
const LIMIT_BYTES = 16 * 1024;
/** A log read may not hold up the reconcile longer than this. */
const READ_TIMEOUT_MS = 5_000;
/** Remembered runs; a pod is restarted a few times a minute at most, so this covers many pods. */
const MAX_REMEMBERED = 2048;

/**
 * Reads, for every crash-looping container of `pods` (isCrashLooping, as of `now`) whose last
 * run ended without a termination message, the error lines of that run's log (`kubectl logs
 * --previous`), each read bounded by READ_TIMEOUT_MS. Each run
 * (pod uid, container, restart count) is read at most once; the answer, or its absence, is
 * remembered. A failed read is logged and leaves that container without an excerpt: status then
 * falls back to the kubelet's words. Needs `get` on pods/log.
 */
export class CrashLogReader {
  private readonly client: KubeClient;
  private readonly log: Logger;
  private readonly seen = new Map<string, string | undefined>();

  constructor(client: KubeClient, log: Logger) {
    this.client = client;
    this.log = log;
  }

  async excerpts(pods: readonly V1Pod[], now: Date, signal?: AbortSignal): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const pod of pods) {
      const namespace = pod.metadata?.namespace ?? "";
      const name = pod.metadata?.name ?? "";
      for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
        const last = c.lastState?.terminated;
        if (!isCrashLooping(pod, c, now.getTime()) || last === undefined || (last.message ?? "").trim() !== "") continue;
        const run = `${pod.metadata?.uid ?? name}/${c.name}/${c.restartCount}`;
        if (!this.seen.has(run)) this.remember(run, await this.read(namespace, name, c.name, signal));
        const excerpt = this.seen.get(run);
        if (excerpt !== undefined) found.set(crashLogKey(name, c.name), excerpt);
      }
    }
    return found;
  }

  private async read(namespace: string, pod: string, container: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const bounded = signal === undefined ? AbortSignal.timeout(READ_TIMEOUT_MS) : AbortSignal.any([signal, AbortSignal.timeout(READ_TIMEOUT_MS)]);
      const text = await this.client.podLog(namespace, pod, { container, previous: true, tailLines: TAIL_LINES, limitBytes: LIMIT_BYTES, signal: bounded });
      return errorExcerpt(text);
    } catch (error) {
      this.log.warn("Failed to read the previous run's log of a crash-looping container", { namespace, pod, container, error: (error as Error).message });
      return undefined;
    }
  }

  private remember(run: string, excerpt: string | undefined): void {
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value ?? "");
    this.seen.set(run, excerpt);
  }
}
