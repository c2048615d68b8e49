// Which ModelDeployments the activator serves: only those that may scale to zero
// (spec.autoscaling.minReplicas 0), as a ModelDeployment watch tells. A request for any other
// Host is answered 404 at once: it holds no memory, starts no cold start, and never reaches the
// pods of a model whose NetworkPolicy does not expect the activator.
import type { ResourceRef } from "../runtime/client/resource.ts";
import type { KubeObject } from "../runtime/client/kube-client.ts";
import { objectKey, type InformerEventType } from "../runtime/informer.ts";
import { targetKey, type ActivationTarget } from "./target.ts";

/**
 * The ModelDeployment resource (mdo.dev/v1alpha1), named here rather than taken from src/api so
 * the activator does not load the API's schemas.
 */
export const MODEL_DEPLOYMENTS: ResourceRef = { group: "mdo.dev", version: "v1alpha1", plural: "modeldeployments", kind: "ModelDeployment", namespaced: true };

interface ScaledModel extends KubeObject {
  spec?: { autoscaling?: { minReplicas?: number } };
}

/** `object` (a ModelDeployment) as the activator's cache keeps it: name, namespace, resourceVersion, minReplicas. Pure. */
export function modelDeploymentForActivator(object: KubeObject): KubeObject {
  const md = object as ScaledModel;
  const meta = md.metadata ?? {};
  const minReplicas = md.spec?.autoscaling?.minReplicas;
  const kept: ScaledModel = {
    metadata: {
      ...(meta.name === undefined ? {} : { name: meta.name }),
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      ...(meta.resourceVersion === undefined ? {} : { resourceVersion: meta.resourceVersion }),
    },
    ...(minReplicas === undefined ? {} : { spec: { autoscaling: { minReplicas } } }),
  };
  return kept;
}

export class ScaleToZeroTargets {
  private readonly targets = new Set<string>();

  /** Takes one ModelDeployment event (an InformerHandler). */
  readonly onModelDeploymentEvent = (type: InformerEventType, object: KubeObject): void => {
    const key = objectKey(object);
    if (type !== "deleted" && (object as ScaledModel).spec?.autoscaling?.minReplicas === 0) this.targets.add(key);
    else this.targets.delete(key);
  };

  /** Whether `target` names a ModelDeployment that may scale to zero. */
  accepts(target: ActivationTarget): boolean {
    return this.targets.has(targetKey(target));
  }
}
