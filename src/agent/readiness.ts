// The agent's readiness: the model server's readinessPath answers 200. The answer is cached
// briefly so frequent probes (kubelet, load balancers, /readyz loops) never hammer the server;
// a "not ready" answer only for a moment, so a pod that just loaded its model (a cold start)
// is ready at the next probe.
import type { Dispatcher } from "undici";

export interface ReadinessOptions {
  readonly dispatcher: Dispatcher;
  readonly path: string;
  /** Longest wait for the probe's answer; default 1 s. */
  readonly timeoutMs?: number;
  /** How long a "ready" answer is reused; default 1 s. A "not ready" one: at most NOT_READY_CACHE_MS. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/** Longest reuse of a "not ready" answer. */
export const NOT_READY_CACHE_MS = 100;

export class UpstreamReadiness {
  private readonly options: ReadinessOptions;
  private answer: { ready: boolean; at: number } | undefined;
  private probing: Promise<boolean> | undefined;

  constructor(options: ReadinessOptions) {
    this.options = options;
  }

  /** Whether the model server is ready: a cached answer younger than cacheMs, else a probe. */
  isReady(): Promise<boolean> {
    const now = (this.options.now ?? performance.now.bind(performance))();
    const cacheMs = this.options.cacheMs ?? 1000;
    const reuseMs = this.answer?.ready === true ? cacheMs : Math.min(cacheMs, NOT_READY_CACHE_MS);
    if (this.answer !== undefined && now - this.answer.at < reuseMs) return Promise.resolve(this.answer.ready);
    this.probing ??= this.probe().then((ready) => {
      this.answer = { ready, at: (this.options.now ?? performance.now.bind(performance))() };
      this.probing = undefined;
      return ready;
    });
    return this.probing;
  }

  /** Forgets the cached answer (after the proxy failed to connect), so the next probe asks again. */
  invalidate(): void {
    this.answer = undefined;
  }

  private async probe(): Promise<boolean> {
    const timeoutMs = this.options.timeoutMs ?? 1000;
    try {
      const response = await this.options.dispatcher.request({
        method: "GET",
        path: this.options.path,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  }
}
