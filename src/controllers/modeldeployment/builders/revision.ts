// The revision: a short hash of everything that shapes a ModelDeployment's pods.
import type { ModelDeployment } from "../../../api/index.ts";
import type { ServingRuntime } from "../../../catalog/runtime.ts";
import type { OperatorSettings } from "../settings.ts";
import { agentConfigBody } from "./agent-config.ts";
import { shortHash } from "./canonical-json.ts";
import { resolveModelVersion } from "./model-version.ts";
import { modelServerResources } from "./resources.ts";

/** Bumped only to deliberately give every ModelDeployment a new revision (a new pod shape). */
const REVISION_SCHEME = 1;

/**
 * What the revision hashes: every input of the pod template (buildPodTemplate) and nothing
 * else. Replicas, autoscaling, rollout, network policy, suspend and the drift action live
 * outside the pod, so changing them never starts a rollout. Values are normalised where the pod
 * is (quantities, the derived model version), so equivalent specs share a revision.
 */
export function revisionInputs(md: ModelDeployment, runtime: ServingRuntime, settings: OperatorSettings): unknown {
  const { model, image, protocol, resources, nodeSelector, tolerations, serving, monitoring } = md.spec;
  return {
    scheme: REVISION_SCHEME,
    model: {
      uri: model.uri,
      format: model.format,
      version: resolveModelVersion(md),
      runtime: model.runtime,
      digest: model.digest,
      storageSecretRef: model.storageSecretRef,
    },
    image,
    protocol,
    resources: { server: modelServerResources(resources), gpu: resources?.gpu ?? 0 },
    nodeSelector,
    tolerations,
    apiKeySecretRef: serving?.auth?.apiKeySecretRef,
    driftBaselineRef: monitoring?.drift?.baselineRef,
    // The runtime's default resources reach the pod only through spec.resources (defaults.ts),
    // hashed above: a changed default moves only the revisions that use it.
    runtime: { ...runtime, resources: undefined },
    agentConfig: agentConfigBody(md, runtime, settings),
    settings: {
      agentImage: settings.agentImage,
      fetcherImage: settings.fetcherImage,
      agentPort: settings.agentPort,
      agentMetricsPort: settings.agentMetricsPort,
    },
  };
}

/**
 * The revision of `md`'s pods: 10 lower-case base36 characters (a DNS label, a label value),
 * the same for the same pod-shaping inputs whatever their key order, in any process.
 * Throws BuildError when the agent config cannot be built.
 */
export function computeRevision(md: ModelDeployment, runtime: ServingRuntime, settings: OperatorSettings): string {
  return shortHash(revisionInputs(md, runtime, settings));
}
