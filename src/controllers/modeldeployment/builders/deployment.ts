// The Deployment of one revision.
import type { V1Deployment } from "@kubernetes/client-node";
import { parseDuration } from "../../../api/index.ts";
import { LABEL_REVISION, childNames, podSelector } from "../labels.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata, revisionLabels } from "./metadata.ts";
import { buildPodTemplate } from "./pod.ts";

/** ReplicaSets kept for `kubectl rollout undo` inside a revision; revisions themselves are Deployments. */
export const REVISION_HISTORY_LIMIT = 2;

/**
 * The Deployment `<name>-<revision>`, selecting only its revision's pods (the selector is
 * immutable, hence a Deployment per revision). `replicas` is set only from spec.replicas: with
 * spec.autoscaling it is left out so the HPA owns it and applies never fight. The rollout may
 * scale it further. Updates inside a revision surge without taking capacity away.
 * Throws BuildError.
 */
export function buildDeployment(ctx: BuildContext): V1Deployment {
  const { md, revision } = ctx;
  const name = md.metadata.name ?? "";
  const { replicas, rollout } = md.spec;
  const deadlineMs = rollout === undefined ? undefined : parseDuration(rollout.progressDeadline);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: childMetadata(md, childNames.deployment(name, revision), revisionLabels(md, revision)),
    spec: {
      ...(replicas !== undefined && { replicas }),
      selector: { matchLabels: { ...podSelector(name), [LABEL_REVISION]: revision } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      ...(deadlineMs !== undefined && { progressDeadlineSeconds: Math.ceil(deadlineMs / 1000) }),
      revisionHistoryLimit: REVISION_HISTORY_LIMIT,
      template: buildPodTemplate(ctx),
    },
  };
}
