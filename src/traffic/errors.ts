// The error the traffic router registry throws.

/** Condition reasons of TrafficRouterError; each names what the user must change. */
export type TrafficRouterErrorReason =
  /** spec.rollout.trafficRouter.type names no router MDO knows (an older or newer CRD let it through). */
  | "UnknownTrafficRouter"
  /** The type is part of the API but this version of the operator has no implementation of it. */
  | "TrafficRouterNotAvailable";

/**
 * A spec.rollout.trafficRouter.type the operator cannot serve. Contract: retrying cannot help;
 * the controller reports `reason` and `message` as a Stalled condition and waits for a spec
 * change. It never falls back to another router.
 */
export class UnknownTrafficRouterError extends Error {
  override readonly name = "UnknownTrafficRouterError";
  readonly reason: TrafficRouterErrorReason;
  /** The type as written in the spec. */
  readonly routerType: string;

  constructor(reason: TrafficRouterErrorReason, routerType: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.routerType = routerType;
  }
}
