// AgentLocator over the EndpointSlices of the ModelDeployment's Service: the Service `<name>`
// selects the pods of every revision, and its port named `metrics` is the agents' metrics port
// (an EndpointSlice's ports carry the Service port's name with the resolved container port), so
// the ready endpoints whose pod carries `mdo.dev/revision=<revision>` are that revision's agents.
import { LABEL_REVISION } from "../../controllers/modeldeployment/labels.ts";
import { PORT_METRICS } from "../../controllers/modeldeployment/builders/paths.ts";
import type { KubeClient, KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources } from "../../runtime/client/resource.ts";
import { LocatorError } from "../errors.ts";
import { describeError } from "../../runtime/errors.ts";
import type { AgentEndpoint, AgentLocator } from "./locator.ts";
import { trackServiceName } from "../../traffic/names.ts";

/** The label Kubernetes puts on the EndpointSlices of a Service. */
export const LABEL_SERVICE_NAME = "kubernetes.io/service-name";

/** The fields of a discovery.k8s.io/v1 EndpointSlice the locator reads. */
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

/** One ready endpoint of a revision's pod, before it becomes a URL. */
export interface PodEndpoint {
  readonly namespace: string;
  readonly pod: string;
  readonly ip: string;
  readonly port: number;
}

export interface EndpointSliceLocatorOptions {
  readonly client: Pick<KubeClient, "list">;
  /** The labels of a pod, or undefined when it does not exist (e.g. a lister over an informer cache). */
  readonly podLabels: (namespace: string, pod: string, signal?: AbortSignal) => Promise<Readonly<Record<string, string>> | undefined>;
  /**
   * Turns an endpoint of `revision` into the base URL of its metrics port; default
   * `http://<ip>:<port>`. Endpoints given the same URL are one agent (counted once).
   */
  readonly address?: (endpoint: PodEndpoint, revision: string) => string;
}

/**
 * The Services whose endpoints can be a ModelDeployment's agents: the shared one, and the track
 * Services (`<name>-stable`, `<name>-canary`) through which a revision's pods are reached when the
 * shared Service selects only the stable revision (a blue-green preview, an exact-weight router).
 */
export function serviceNames(name: string): string[] {
  return [name, trackServiceName(name, "stable"), trackServiceName(name, "canary")];
}

/** The default address: the pod IP and the metrics port (IPv6 in brackets). */
export function podAddress(endpoint: PodEndpoint): string {
  const host = endpoint.ip.includes(":") ? `[${endpoint.ip}]` : endpoint.ip;
  return `http://${host}:${endpoint.port}`;
}

export class EndpointSliceLocator implements AgentLocator {
  private readonly options: EndpointSliceLocatorOptions;

  constructor(options: EndpointSliceLocatorOptions) {
    this.options = options;
  }

  /**
   * Lists the Service's EndpointSlices; keeps endpoints that are ready (a missing ready condition
   * counts as ready, as the API defines), point at a Pod, and have a `metrics` port; then keeps
   * those whose pod has the revision label. A pod listed in several slices counts once.
   */
  async locate(namespace: string, name: string, revision: string, signal?: AbortSignal): Promise<AgentEndpoint[]> {
    let slices: EndpointSlice[];
    try {
      const page = await this.options.client.list<EndpointSlice>(Resources.endpointSlices, {
        namespace, labelSelector: `${LABEL_SERVICE_NAME} in (${serviceNames(name).join(",")})`, ...(signal === undefined ? {} : { signal }),
      });
      slices = page.items;
    } catch (error) {
      throw new LocatorError(`Could not list the EndpointSlices of Service ${namespace}/${name}: ${describeError(error)}`, { cause: error });
    }
    const candidates = new Map<string, PodEndpoint>();
    for (const slice of slices) {
      if (slice.addressType !== "IPv4" && slice.addressType !== "IPv6") continue;
      const port = slice.ports?.find((p) => p.name === PORT_METRICS)?.port;
      if (port === undefined) continue;
      for (const endpoint of slice.endpoints ?? []) {
        const ref = endpoint.targetRef;
        const ip = endpoint.addresses?.[0];
        if (ref?.kind !== "Pod" || ref.name === undefined || ip === undefined) continue;
        if (endpoint.conditions?.ready === false) continue;
        if (!candidates.has(ref.name)) candidates.set(ref.name, { namespace, pod: ref.name, ip, port });
      }
    }
    const address = this.options.address ?? podAddress;
    const located = await Promise.all([...candidates.values()].map(async (endpoint) => {
      let labels: Readonly<Record<string, string>> | undefined;
      try {
        labels = await this.options.podLabels(namespace, endpoint.pod, signal);
      } catch (error) {
        throw new LocatorError(`Could not read the labels of Pod ${namespace}/${endpoint.pod}: ${describeError(error)}`, { cause: error });
      }
      return labels?.[LABEL_REVISION] === revision ? { pod: endpoint.pod, url: address(endpoint, revision) } : undefined;
    }));
    const byUrl = new Map<string, AgentEndpoint>();
    for (const e of located.sort((a, b) => (a?.pod ?? "").localeCompare(b?.pod ?? ""))) if (e !== undefined && !byUrl.has(e.url)) byUrl.set(e.url, e);
    return [...byUrl.values()];
  }
}

/** A podLabels lookup that GETs the Pod from the API (no cache). */
export function podLabelsFromApi(client: Pick<KubeClient, "get">): EndpointSliceLocatorOptions["podLabels"] {
  return async (namespace, pod) => (await client.get(Resources.pods, namespace, pod))?.metadata?.labels;
}
