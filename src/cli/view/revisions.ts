// The revisions of a ModelDeployment as `mdo get` shows them: one per Deployment the operator
// made (plus a revision status names whose Deployment is not there yet), with its role in the
// rollout, model version, digest, replicas and traffic share. Pure.
import type { V1Deployment } from "@kubernetes/client-node";
import type { ModelDeploymentStatus } from "../../api/index.ts";
import { LABEL_MODEL_VERSION, LABEL_REVISION } from "../../controllers/modeldeployment/labels.ts";
import type { RevisionView } from "./schema.ts";

const ROLE_ORDER: Record<RevisionView["role"], number> = { stable: 0, canary: 1, retiring: 2, previous: 3, old: 4 };

/** The digest a revision's pods verify: the `--digest=` argument of its fetch or verify init container. */
export function deploymentDigest(deployment: V1Deployment): string | undefined {
  for (const container of deployment.spec?.template?.spec?.initContainers ?? []) {
    const arg = (container.args ?? []).find((a) => a.startsWith("--digest="));
    if (arg !== undefined) return arg.slice("--digest=".length);
  }
  return undefined;
}

function roleOf(revision: string, status: ModelDeploymentStatus | undefined): RevisionView["role"] {
  const rollout = status?.rollout;
  if (revision === (status?.stable?.revision ?? rollout?.stable.revision)) return "stable";
  if (revision === (status?.canary?.revision ?? rollout?.canary?.revision)) return "canary";
  if (revision === rollout?.retiring?.revision) return "retiring";
  if (revision === rollout?.previous?.revision) return "previous";
  return "old";
}

/** Model version a status field records for `revision`, when the Deployment carries none. */
function statusModelVersion(revision: string, status: ModelDeploymentStatus | undefined): string | undefined {
  const rollout = status?.rollout;
  const refs = [status?.stable, status?.canary, rollout?.stable, rollout?.canary, rollout?.previous];
  return refs.find((r) => r?.revision === revision)?.modelVersion;
}

/**
 * Revisions, stable first, then canary, retiring, previous and old (by name within a role).
 * `deployments` are the ModelDeployment's own (label mdo.dev/model-deployment, controller owner).
 */
export function buildRevisions(deployments: readonly V1Deployment[], status: ModelDeploymentStatus | undefined): RevisionView[] {
  const byRevision = new Map<string, V1Deployment>();
  for (const d of deployments) {
    const revision = d.metadata?.labels?.[LABEL_REVISION];
    if (revision !== undefined) byRevision.set(revision, d);
  }
  const named = [status?.stable?.revision, status?.canary?.revision].filter((r): r is string => r !== undefined);
  const revisions = [...new Set([...byRevision.keys(), ...named])];
  const views = revisions.map((revision): RevisionView => {
    const d = byRevision.get(revision);
    const modelVersion = statusModelVersion(revision, status) ?? d?.metadata?.labels?.[LABEL_MODEL_VERSION];
    const digest = d === undefined ? undefined : deploymentDigest(d);
    const traffic = status?.traffic?.find((t) => t.revision === revision);
    return {
      revision,
      role: roleOf(revision, status),
      ...(modelVersion === undefined ? {} : { modelVersion }),
      ...(digest === undefined ? {} : { digest }),
      replicas: { desired: d?.spec?.replicas ?? 0, ready: d?.status?.readyReplicas ?? 0, updated: d?.status?.updatedReplicas ?? 0 },
      ...(traffic === undefined ? {} : {
        traffic: { desiredWeight: traffic.desiredWeight, ...(traffic.measuredWeight === undefined ? {} : { measuredWeight: traffic.measuredWeight }) },
      }),
    };
  });
  return views.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.revision.localeCompare(b.revision));
}
