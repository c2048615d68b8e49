// What the activator reads of a pod: whether it is a ready backend of a ModelDeployment and its
// URL. The pod cache keeps only that (podForActivator), so thousands of model pods cost little.
import type { V1Pod } from "@kubernetes/client-node";
import { COMPONENT, LABEL_COMPONENT, LABEL_MANAGED_BY, LABEL_MODEL_DEPLOYMENT, MANAGED_BY } from "../controllers/modeldeployment/labels.ts";
import type { KubeObject } from "../runtime/client/kube-client.ts";
import type { ActivationTarget } from "./target.ts";

/** The port of the MDO agent in a model pod: where the activator forwards to. */
export const DEFAULT_BACKEND_PORT = 8080;

/** The label selector of the pods the activator watches: model-server pods MDO made for a ModelDeployment. */
export const MODEL_SERVER_PODS = `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_COMPONENT}=${COMPONENT},${LABEL_MODEL_DEPLOYMENT}`;

type Pod = V1Pod & KubeObject;

/**
 * `object` (a pod) as the activator's cache keeps it: name, namespace, resourceVersion, the
 * ModelDeployment label, deletionTimestamp, status.podIP and the Ready condition. Pure.
 */
export function podForActivator(object: KubeObject): KubeObject {
  const pod = object as Pod;
  const meta = pod.metadata ?? {};
  const owner = meta.labels?.[LABEL_MODEL_DEPLOYMENT];
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
  const kept: Pod = {
    metadata: {
      ...(meta.name === undefined ? {} : { name: meta.name }),
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      ...(meta.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
      ...(owner === undefined ? {} : { labels: { [LABEL_MODEL_DEPLOYMENT]: owner } }),
      ...(meta.deletionTimestamp === undefined ? {} : { deletionTimestamp: meta.deletionTimestamp }),
    },
    status: {
      ...(pod.status?.podIP === undefined ? {} : { podIP: pod.status.podIP }),
      ...(ready === undefined ? {} : { conditions: [{ type: ready.type, status: ready.status }] }),
    },
  };
  return kept;
}

/** A ready pod of a ModelDeployment: the target it serves and its base URL. */
export interface PodBackend {
  readonly target: ActivationTarget;
  readonly url: string;
}

/**
 * The backend `object` is, or undefined unless the pod names its ModelDeployment (label), is
 * Ready (condition True), is not being deleted and has an IP. The URL is `http://<podIP>:<port>`
 * (an IPv6 address bracketed).
 */
export function readyBackendOf(object: KubeObject, port: number): PodBackend | undefined {
  const pod = object as Pod;
  const namespace = pod.metadata?.namespace;
  const name = pod.metadata?.labels?.[LABEL_MODEL_DEPLOYMENT];
  const ip = pod.status?.podIP;
  if (namespace === undefined || name === undefined || name === "" || ip === undefined || ip === "") return undefined;
  if (pod.metadata?.deletionTimestamp !== undefined) return undefined;
  if (pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") !== true) return undefined;
  return { target: { namespace, name }, url: `http://${ip.includes(":") ? `[${ip}]` : ip}:${port}` };
}
