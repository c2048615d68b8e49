// Revisions whose pods can never start because their model cannot be delivered: the rollout
// machine rolls such a canary back at once (Observations.canaryFailure), with the fetcher's reason.
import type { V1Pod } from "@kubernetes/client-node";
import { fetcherFailure, isUndeliverable } from "../status/container-failures.ts";
import { LABEL_REVISION, LABEL_MODEL_DEPLOYMENT } from "../labels.ts";

/**
 * By revision, the first undeliverable-model failure among the ModelDeployment `name`'s pods
 * (a fetcher or verifier init container that ended with ModelDigestMismatch, ModelAccessDenied,
 * ModelNotFound, …). Pure.
 */
export function undeliverableRevisions(pods: readonly V1Pod[], namespace: string, name: string): Map<string, { reason: string; message: string }> {
  const failures = new Map<string, { reason: string; message: string }>();
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    const revision = labels[LABEL_REVISION];
    if (pod.metadata?.namespace !== namespace || labels[LABEL_MODEL_DEPLOYMENT] !== name || revision === undefined || failures.has(revision)) continue;
    const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
    for (const c of pod.status?.initContainerStatuses ?? []) {
      if (sidecars.has(c.name)) continue;
      const failure = fetcherFailure(pod, c);
      if (failure !== undefined && isUndeliverable(failure.reason)) {
        failures.set(revision, { reason: failure.reason, message: failure.message });
        break;
      }
    }
  }
  return failures;
}
