// Where the MDO activator listens, as the operator learns it from the activator Service's
// EndpointSlices (config activatorService): the ready addresses and the port named "http".
import type { V1EndpointSlice } from "@kubernetes/client-node";

/** One activator replica's address for the data path. */
export interface ActivatorEndpoint {
  readonly ip: string;
  readonly port: number;
}

/** The activator's Service port that takes requests (the chart names it so). */
export const ACTIVATOR_PORT_NAME = "http";

/**
 * The ready, not terminating IPv4 endpoints of `slices` with their port named "http", each
 * address once, sorted (so the slices built from them do not change with list order).
 */
export function activatorEndpointsOf(slices: readonly V1EndpointSlice[]): ActivatorEndpoint[] {
  const seen = new Map<string, ActivatorEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== "IPv4") continue;
    const port = slice.ports?.find((p) => p.name === ACTIVATOR_PORT_NAME)?.port;
    if (port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false || endpoint.conditions?.terminating === true) continue;
      for (const ip of endpoint.addresses) seen.set(`${ip}:${port}`, { ip, port });
    }
  }
  return [...seen.values()].sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}
