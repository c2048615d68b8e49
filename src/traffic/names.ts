// Names and labels of the objects the GatewayAPI router creates.
import type { ModelDeployment } from "../api/index.ts";

/** The two sides of a rollout: the serving revision and the one being rolled out. */
export type Track = "stable" | "canary";

/** Which side of the rollout a track Service selects, on the track Services. */
export const LABEL_TRACK = "mdo.dev/track";

/**
 * `<name>-stable` or `<name>-canary`: the Service over the pods of one revision. ModelDeployment
 * names are capped at 45 characters, so these stay valid DNS labels.
 */
export function trackServiceName(mdName: string, track: Track): string {
  return `${mdName}-${track}`;
}

/** spec.rollout.trafficRouter.gatewayAPI.httpRouteName, or the ModelDeployment's name. */
export function httpRouteName(md: ModelDeployment): string {
  return md.spec.rollout?.trafficRouter?.gatewayAPI?.httpRouteName ?? md.metadata.name ?? "";
}
