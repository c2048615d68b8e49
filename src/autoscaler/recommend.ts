// The replica count one revision should have, decided the way Knative's KPA decides it: the load
// averaged over a stable window (60 s) and a panic window (6 s); while the panic window's load
// needs at least twice the ready pods, scale on it and never down (panic), until a whole stable
// window passes without that; each decision bounded by rates of the ready pods; a scale-down only
// once it was recommended for the whole scale-down delay; always within [min, max]. A revision
// that may scale to zero (minReplicas 0) keeps at least one pod until it has seen no request for
// idleAfter; while it is at zero, the activator's held requests are its load (demand).
import { LoadWindow } from "./load-window.ts";
import type { ScalingPolicy } from "./policy.ts";

export interface Recommendation {
  /** Replicas the revision should have. */
  readonly desired: number;
  /** Whether the panic window decided (fast scale-up; no scale-down). */
  readonly panic: boolean;
  /** Average total load over the stable window, and per ready pod. */
  readonly stableLoad: number;
  /** Average total load over the panic window. */
  readonly panicLoad: number;
  readonly readyPods: number;
  /** Why this count, for status, Events and logs. */
  readonly reason: string;
}

/** One revision's recommender; holds the state KPA holds (windows, panic, delay). Not thread-safe (one loop owns it). */
export class Recommender {
  readonly policy: ScalingPolicy;
  private readonly load: LoadWindow;
  private panicSinceMs: number | undefined;
  private panicPeak = 0;
  /** When load (or demand) was last above zero; set at the first sample or recommendation. */
  private lastActiveMs: number | undefined;
  /** Recommendations of the scale-down delay, newest last. */
  private readonly recent: { atMs: number; desired: number }[] = [];

  constructor(policy: ScalingPolicy) {
    this.policy = policy;
    this.load = new LoadWindow(Math.max(policy.windowMs, policy.panicWindowMs));
  }

  /** Records the revision's total load measured at `atMs`. */
  record(atMs: number, total: number): void {
    this.load.record({ atMs, total });
    if (total > 0 || this.lastActiveMs === undefined) this.lastActiveMs = atMs;
  }

  /**
   * Requests wait for a pod (the activator holds `held` of them while no pod is ready): they are
   * load in flight now, and the revision is active.
   */
  demand(atMs: number, held: number): void {
    this.record(atMs, Math.max(1, held));
  }

  /** The recommendation at `nowMs` with `readyPods` ready; undefined while the stable window has no sample. */
  recommend(nowMs: number, readyPods: number): Recommendation | undefined {
    const p = this.policy;
    const stableLoad = this.load.average(nowMs, p.windowMs);
    if (stableLoad === undefined) return undefined;
    this.lastActiveMs ??= nowMs;
    const panicLoad = this.load.average(nowMs, p.panicWindowMs) ?? stableLoad;
    const ready = Math.max(1, readyPods);
    const most = Math.ceil(p.maxScaleUpRate * ready);
    const least = Math.floor(ready / p.maxScaleDownRate);
    const bound = (n: number): number => Math.min(most, Math.max(least, n));
    const forStable = bound(Math.ceil(stableLoad / p.target));
    const forPanic = bound(Math.ceil(panicLoad / p.target));

    const overThreshold = readyPods > 0 ? forPanic / ready >= p.panicThreshold : forPanic > 0 && panicLoad > 0;
    if (overThreshold) this.panicSinceMs = nowMs;
    else if (this.panicSinceMs !== undefined && nowMs - this.panicSinceMs >= p.windowMs) this.panicSinceMs = undefined;
    const panic = this.panicSinceMs !== undefined;

    let desired: number;
    let reason: string;
    if (panic) {
      // Never down in a panic: the most it has asked for since it started.
      this.panicPeak = Math.max(this.panicPeak, forPanic, readyPods);
      desired = this.panicPeak;
      reason = `panic: ${format(panicLoad)} ${unit(p)} over the last ${seconds(p.panicWindowMs)} needs ${forPanic} pods at ${format(p.target)} each`;
    } else {
      this.panicPeak = 0;
      desired = forStable;
      reason = `${format(stableLoad)} ${unit(p)} over the last ${seconds(p.windowMs)} needs ${forStable} pods at ${format(p.target)} each`;
    }

    if (p.scaleDownDelayMs > 0) {
      this.recent.push({ atMs: nowMs, desired });
      while (this.recent.length > 0 && (this.recent[0]?.atMs ?? 0) <= nowMs - p.scaleDownDelayMs) this.recent.shift();
      const held = Math.max(...this.recent.map((r) => r.desired));
      if (held > desired) reason += `; held at ${held} for the scale-down delay (${seconds(p.scaleDownDelayMs)})`;
      desired = held;
    }
    if (p.idleAfterMs !== undefined && desired === 0) {
      const idleMs = nowMs - this.lastActiveMs;
      if (idleMs < p.idleAfterMs) {
        desired = 1;
        reason += `; kept at 1 until no request for ${seconds(p.idleAfterMs)} (idle for ${seconds(Math.round(idleMs / 1000) * 1000)})`;
      } else {
        reason = `no request for ${seconds(p.idleAfterMs)}: scaled to zero (the activator holds the next requests while a pod starts)`;
      }
    }
    const floor = p.idleAfterMs === undefined ? p.minReplicas : 0;
    const clamped = Math.min(p.maxReplicas, Math.max(floor, desired));
    if (clamped !== desired) reason += clamped > desired ? `; raised to minReplicas ${p.minReplicas}` : `; capped at maxReplicas ${p.maxReplicas}`;
    return { desired: clamped, panic, stableLoad, panicLoad, readyPods, reason };
  }
}

function unit(p: ScalingPolicy): string {
  return p.metric === "concurrency" ? "requests in flight" : "requests/s";
}

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function seconds(ms: number): string {
  return `${ms / 1000}s`;
}
