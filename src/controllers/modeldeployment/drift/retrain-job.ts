// The retraining Job a Retrain drift action starts: the user's template, told what drifted, made
// to run under the restricted Pod Security profile where the template leaves it open. Pure.
import type { ModelDeployment } from "../../../api/index.ts";
import type { KubeObject } from "../../../runtime/client/kube-client.ts";
import { shortHash } from "../builders/canonical-json.ts";
import { childMetadata } from "../builders/metadata.ts";
import type { DriftStatus } from "./assess.ts";

type Json = Record<string, unknown>;

export const RETRAIN_ENV = {
  modelUri: "MDO_MODEL_URI",
  driftReport: "MDO_DRIFT_REPORT",
  modelDeployment: "MDO_MODEL_DEPLOYMENT",
  revision: "MDO_REVISION",
} as const;

/**
 * The Job name for a drift episode: one per revision and cooldown period, so a Job created by a
 * reconcile whose status write then failed is found again (AlreadyExists), never doubled.
 * At most 62 characters (ModelDeployment names are at most 45).
 */
export function retrainJobName(name: string, revision: string, nowMs: number, cooldownMs: number): string {
  return `${name}-retrain-${shortHash({ revision, period: Math.floor(nowMs / Math.max(1, cooldownMs)) }).slice(0, 8)}`;
}

export function buildRetrainJob(md: ModelDeployment, jobName: string, drift: DriftStatus): KubeObject {
  const template = md.spec.monitoring?.drift?.retrainJobTemplate;
  if (template === undefined) throw new Error("buildRetrainJob needs spec.monitoring.drift.retrainJobTemplate");
  const spec = structuredClone(template.spec) as Json;
  const podTemplate = (spec.template ?? {}) as Json;
  const podSpec = { ...((podTemplate.spec ?? {}) as Json) };
  const env = [
    { name: RETRAIN_ENV.modelUri, value: md.spec.model.uri },
    { name: RETRAIN_ENV.driftReport, value: JSON.stringify(drift) },
    { name: RETRAIN_ENV.modelDeployment, value: `${md.metadata.namespace ?? ""}/${md.metadata.name ?? ""}` },
    { name: RETRAIN_ENV.revision, value: drift.revision ?? "" },
  ];
  podSpec.restartPolicy ??= "Never";
  podSpec.securityContext = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, ...((podSpec.securityContext ?? {}) as Json) };
  podSpec.containers = ((podSpec.containers ?? []) as Json[]).map((c) => ({
    ...c,
    env: [...((c.env ?? []) as Json[]).filter((e) => !Object.values(RETRAIN_ENV).includes(e.name as never)), ...env],
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, ...((c.securityContext ?? {}) as Json) },
  }));
  const meta = childMetadata(md, jobName);
  const userMeta = (template.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      ...meta,
      labels: { ...userMeta.labels, ...meta.labels },
      ...(userMeta.annotations === undefined ? {} : { annotations: userMeta.annotations }),
    },
    spec: { ...spec, template: { ...podTemplate, spec: podSpec } },
  } as KubeObject;
}
