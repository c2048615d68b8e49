// Labels, annotations and names that tie child objects to their ModelDeployment. Selectors
// use only labels MDO sets; users' labels are copied to children but never selected on.

export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "mdo";
export const LABEL_NAME = "app.kubernetes.io/name";
export const LABEL_COMPONENT = "app.kubernetes.io/component";
export const COMPONENT = "model-server";
/** The owning ModelDeployment's name, on every child and pod. */
export const LABEL_MODEL_DEPLOYMENT = "mdo.dev/model-deployment";
/** The revision (hash of what shapes the pod), on Deployments, their pods and per-revision objects. */
export const LABEL_REVISION = "mdo.dev/revision";
/** Model version shown to users (spec.model.version), on Deployments and pods. */
export const LABEL_MODEL_VERSION = "mdo.dev/model-version";

/** On the MDO activator's pods (the chart sets it): NetworkPolicies of scale-to-zero ModelDeployments admit them. */
export const LABEL_ACTIVATOR = "mdo.dev/activator";

/** The MDO labels every child of `name` carries. */
export function childLabels(name: string): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_NAME]: name,
    [LABEL_COMPONENT]: COMPONENT,
    [LABEL_MODEL_DEPLOYMENT]: name,
  };
}

/** Selects every pod of a ModelDeployment, across revisions. */
export function podSelector(name: string): Record<string, string> {
  return { [LABEL_MODEL_DEPLOYMENT]: name, [LABEL_COMPONENT]: COMPONENT };
}

/** Child names; the API caps ModelDeployment names at 45 characters so these stay valid. */
export const childNames = {
  deployment: (name: string, revision: string): string => `${name}-${revision}`,
  horizontalPodAutoscaler: (name: string, revision: string): string => `${name}-${revision}`,
  service: (name: string): string => name,
  podDisruptionBudget: (name: string): string => name,
  /** Per revision: pods of an older revision keep reading their own config while it serves. */
  agentConfigMap: (name: string, revision: string): string => `${name}-${revision}-agent`,
  networkPolicy: (name: string): string => name,
  /** Shared by every revision: the shadow phase's mirror settings, read by the stable revision's agents. */
  shadowConfigMap: (name: string): string => `${name}-shadow`,
};
