// The shadow settings ConfigMap (ADR 0009): every revision's pods mount `<name>-shadow` (optional),
// and the agents follow its shadow.json. The operator fills it only during a shadow phase.
import type { V1ConfigMap } from "@kubernetes/client-node";
import { ShadowConfig } from "../../../agent/config.ts";
import type { ModelDeployment } from "../../../api/index.ts";
import { parseDuration } from "../../../api/duration.ts";
import type { ComparisonSpec, ShadowSpec } from "../../../api/shadow.ts";
import { childNames } from "../labels.ts";
import { canonicalJson } from "./canonical-json.ts";
import { childMetadata } from "./metadata.ts";
import { SERVICE_HTTP_PORT, SHADOW_KEY } from "./paths.ts";

/** Who mirrors to whom: the stable revision's agents to the candidate's, at its track Service's ClusterIP. */
export interface Mirror {
  stableRevision: string;
  candidateRevision: string;
  /** spec.clusterIP of `<name>-canary`: an address, so mirroring needs no cluster DNS. */
  clusterIP: string;
}

/** What shadow.json holds when nothing is mirrored: the agents read it as "off". */
export const NO_SHADOW = "{}";

/**
 * ConfigMap `<name>-shadow`: with `mirror`, the agent settings that make the stable revision's
 * agents send `spec.rollout.shadow.sampleRate` of their prediction requests to the candidate's
 * track Service (`<name>-canary`, by ClusterIP) and compare the answers; without, `{}`. The settings are checked
 * against the agent's own schema. Throws when `mirror` is given without spec.rollout.shadow.
 */
export function buildShadowSettings(md: ModelDeployment, mirror: Mirror | undefined): V1ConfigMap {
  const name = md.metadata.name ?? "";
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: childMetadata(md, childNames.shadowConfigMap(name)),
    data: { [SHADOW_KEY]: mirror === undefined ? NO_SHADOW : canonicalJson(shadowConfig(md, mirror)) },
  };
}

function shadowConfig(md: ModelDeployment, mirror: Mirror): ShadowConfig {
  const spec: ShadowSpec | undefined = md.spec.rollout?.shadow;
  if (spec === undefined) throw new Error("a mirror needs spec.rollout.shadow");
  const host = mirror.clusterIP.includes(":") ? `[${mirror.clusterIP}]` : mirror.clusterIP;
  return ShadowConfig.parse({
    source: mirror.stableRevision,
    candidate: mirror.candidateRevision,
    url: `http://${host}:${SERVICE_HTTP_PORT}`,
    sampleRate: spec.sampleRate,
    maxInFlight: spec.maxInFlight,
    timeoutMs: Math.max(1, Math.round(parseDuration(spec.timeout) ?? 10_000)),
    comparison: comparisonOf(spec.comparison),
  });
}

function comparisonOf(spec: ComparisonSpec): ShadowConfig["comparison"] {
  const fields = spec.fields === undefined ? {} : { fields: spec.fields };
  if (spec.mode === "Label") return { mode: "label", ...fields };
  if (spec.mode === "Exact") return { mode: "exact", ...fields };
  return {
    mode: "numeric", ...fields,
    ...(spec.absoluteTolerance === undefined ? {} : { absoluteTolerance: spec.absoluteTolerance }),
    ...(spec.relativeTolerance === undefined ? {} : { relativeTolerance: spec.relativeTolerance }),
  };
}
