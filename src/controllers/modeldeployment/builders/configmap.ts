// The ConfigMap holding the agent's config.json.
import type { V1ConfigMap } from "@kubernetes/client-node";
import { childNames } from "../labels.ts";
import { agentConfigJson, buildAgentConfig } from "./agent-config.ts";
import type { BuildContext } from "./context.ts";
import { childMetadata, revisionLabels } from "./metadata.ts";
import { AGENT_CONFIG_KEY } from "./paths.ts";

/**
 * ConfigMap `<name>-<revision>-agent` with config.json: the revision's agent config, validated
 * against the agent's schema. Its content feeds the revision (computeRevision) and the pods'
 * mdo.dev/agent-config-hash annotation, so a change rolls out as a new revision.
 * Throws BuildError.
 */
export function buildConfigMap(ctx: BuildContext): V1ConfigMap {
  const { md, revision } = ctx;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: childMetadata(md, childNames.agentConfigMap(md.metadata.name ?? "", revision), revisionLabels(md, revision)),
    data: { [AGENT_CONFIG_KEY]: agentConfigJson(buildAgentConfig(ctx)) },
  };
}
