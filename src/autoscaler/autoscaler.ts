// The operator as the autoscaler of revisions that scale on concurrency or rps (as Knative's KPA
// and KEDA are): every tick it reads the load of each tracked revision's ready agents, feeds the
// revision's Recommender and, when the recommended count changes, tells the controller (which
// applies it in a reconcile: this loop never writes to the API). Only the leader runs it.
import type { AgentEndpoint, AgentLocator } from "../analysis/agent/locator.ts";
import type { Clock } from "../runtime/clock.ts";
import { describeError } from "../runtime/errors.ts";
import type { Logger } from "../runtime/logging.ts";
import { PodLoads, readAgentLoad } from "./agent-load.ts";
import type { AutoscalerMetrics } from "./metrics.ts";
import type { ScalingPolicy } from "./policy.ts";
import { Recommender, type Recommendation } from "./recommend.ts";

/** The revision one ModelDeployment's autoscaler sizes. */
export interface ScaleTarget {
  readonly namespace: string;
  readonly name: string;
  readonly revision: string;
  readonly policy: ScalingPolicy;
}

/** What a reconcile needs of the autoscaler. */
export interface LoadAutoscaler {
  /** Sizes `target` from now on (a new revision or policy starts afresh); idempotent. */
  track(key: string, target: ScaleTarget): void;
  /** Stops sizing `key`'s revision (a rollout sizes it, autoscaling changed, deleted). */
  untrack(key: string): void;
  /** The latest recommendation for `key`'s tracked revision; undefined until it has load to go on. */
  recommendation(key: string): Recommendation | undefined;
}

/** What the activator's notifications need of the autoscaler. */
export interface DemandSink {
  /**
   * `held` requests wait for a pod of `key`'s revision (the activator holds them): decides at
   * once, without waiting for a tick, and tells the controller when the count changes. False
   * when `key` is not tracked (no ModelDeployment that the operator scales by that key, yet).
   */
  demand(key: string, held: number): boolean;
}

export interface AutoscalerOptions {
  readonly locator: AgentLocator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called with a ModelDeployment key whose recommended replica count (or panic) changed. */
  readonly onChange: (key: string) => void;
  readonly metrics?: AutoscalerMetrics;
  /** Default 2 s (KPA's tick). */
  readonly tickMs?: number;
  /** Per agent read; default 1 s. */
  readonly readTimeoutMs?: number;
}

interface Tracked {
  readonly target: ScaleTarget;
  readonly recommender: Recommender;
  readonly pods: PodLoads;
  latest?: Recommendation;
  /** Agents read at the last tick (the revision's ready pods). */
  readyPods: number;
}

export class Autoscaler implements LoadAutoscaler, DemandSink {
  private readonly options: AutoscalerOptions;
  private readonly tracked = new Map<string, Tracked>();

  constructor(options: AutoscalerOptions) {
    this.options = options;
  }

  track(key: string, target: ScaleTarget): void {
    const current = this.tracked.get(key);
    if (current !== undefined && current.target.revision === target.revision && samePolicy(current.target.policy, target.policy)) return;
    this.tracked.set(key, { target, recommender: new Recommender(target.policy), pods: new PodLoads(), readyPods: 0 });
  }

  untrack(key: string): void {
    if (!this.tracked.delete(key)) return;
    const [namespace = "", name = ""] = key.split("/");
    this.options.metrics?.forget(namespace, name);
  }

  recommendation(key: string): Recommendation | undefined {
    return this.tracked.get(key)?.latest;
  }

  demand(key: string, held: number): boolean {
    const t = this.tracked.get(key);
    if (t === undefined) return false;
    const now = this.options.clock.now();
    t.recommender.demand(now, held);
    this.decide(key, t, t.recommender.recommend(now, t.readyPods));
    return true;
  }

  /** Ticks until `signal` aborts. Never throws: a revision that cannot be read keeps its last recommendation. */
  async run(signal: AbortSignal): Promise<void> {
    const tickMs = this.options.tickMs ?? 2000;
    while (!signal.aborted) {
      await Promise.all([...this.tracked.entries()].map(([key, t]) => this.tick(key, t, signal)));
      await this.options.clock.sleep(tickMs, signal).catch(() => undefined);
    }
  }

  private async tick(key: string, t: Tracked, signal: AbortSignal): Promise<void> {
    const { namespace, name, revision, policy } = t.target;
    let endpoints: AgentEndpoint[];
    try {
      endpoints = await this.options.locator.locate(namespace, name, revision, signal);
    } catch (error) {
      if (!signal.aborted) this.options.logger.debug("Autoscaler could not locate agents", { key, revision, error: describeError(error) });
      return;
    }
    const loads = await Promise.all(endpoints.map(async (endpoint) => {
      try {
        const report = await readAgentLoad(endpoint, { timeoutMs: this.options.readTimeoutMs ?? 1000, signal });
        return t.pods.loadOf(endpoint.pod, report, policy.metric);
      } catch (error) {
        if (!signal.aborted) this.options.logger.debug("Autoscaler could not read an agent's load", { key, pod: endpoint.pod, error: describeError(error) });
        return undefined;
      }
    }));
    t.pods.keepOnly(new Set(endpoints.map((e) => e.pod)));
    if (signal.aborted || this.tracked.get(key) !== t) return;
    const measured = loads.filter((l): l is number => l !== undefined);
    const now = this.options.clock.now();
    // Pods not read this time count at the average of those read (KPA extrapolates the same way).
    if (measured.length > 0) t.recommender.record(now, (measured.reduce((a, b) => a + b, 0) / measured.length) * endpoints.length);
    t.readyPods = endpoints.length;
    this.decide(key, t, t.recommender.recommend(now, endpoints.length));
  }

  private decide(key: string, t: Tracked, next: Recommendation | undefined): void {
    if (next === undefined) return;
    const changed = t.latest === undefined || t.latest.desired !== next.desired || t.latest.panic !== next.panic;
    t.latest = next;
    this.options.metrics?.observe(t.target.namespace, t.target.name, next, t.target.policy);
    if (changed) this.options.onChange(key);
  }
}

function samePolicy(a: ScalingPolicy, b: ScalingPolicy): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
