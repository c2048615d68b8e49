// The model-serving half of a worker pod: how the model reaches the pod (fetch or verify init
// containers and volumes) and the model server, exactly as a ModelDeployment's pod has them —
// built from an inline spec.model, or copied from a ModelDeployment's stable revision.
import type { V1Container, V1Deployment, V1PodSpec, V1Toleration, V1Volume } from "@kubernetes/client-node";
import { API_VERSION, KIND, parseModelDeployment, type BatchPrediction } from "../../api/index.ts";
import type { RuntimeCatalog } from "../../catalog/catalog.ts";
import { withOperatorDefaults } from "../modeldeployment/defaults.ts";
import { modelServerContainer, scratchVolumes } from "../modeldeployment/builders/model-server.ts";
import { modelSource } from "../modeldeployment/builders/model-source.ts";
import { modelInitContainers, modelVolumes } from "../modeldeployment/builders/model-volume.ts";
import { resolveModelVersion } from "../modeldeployment/builders/model-version.ts";
import { CONTAINER_FETCHER, CONTAINER_MODEL_SERVER, CONTAINER_VERIFIER, VOLUME_DRIFT_BASELINE } from "../modeldeployment/builders/paths.ts";
import type { OperatorSettings } from "../modeldeployment/settings.ts";
import { BatchProblemError } from "./problems.ts";

export interface ServingParts {
  /** Fetch or verify the model: they run before the model server. */
  readonly initContainers: V1Container[];
  /** The model server as in a serving pod (the pod builder makes it a native sidecar). */
  readonly modelServer: V1Container;
  /** The volumes those containers mount. */
  readonly volumes: V1Volume[];
  /** Tolerations the serving pods needed (a GPU node's taint), besides the BatchPrediction's own. */
  readonly tolerations: V1Toleration[];
  readonly runAsUser?: number;
  /** The model's name on the server: /v2/models/<name>/infer. */
  readonly modelName: string;
  /** The server's port on 127.0.0.1. */
  readonly port: number;
  /** For status: what the run scores with. */
  readonly description: string;
  /** The ModelDeployment's drift baseline (its ConfigMap volume) and test, when it monitors drift. */
  readonly drift?: { readonly volume: V1Volume; readonly test: DriftTest };
}

/** The drift test of spec.monitoring.drift that the shards' p-values are judged by. */
export interface DriftTest {
  readonly falseAlarmRate: number;
  readonly minWindow: number;
  readonly minPsi: number;
}

/**
 * The parts for spec.model: the ModelDeployment builders run over a ModelDeployment made of the
 * BatchPrediction's model, image and resources (protocol v2: the worker speaks the Open Inference
 * Protocol). Throws BatchProblemError (InvalidSpec, the runtime's reason, a BuildError's reason).
 */
export function inlineServingParts(bp: BatchPrediction, catalog: RuntimeCatalog, settings: OperatorSettings): ServingParts {
  const { model, image, resources } = bp.spec;
  if (model === undefined) throw new BatchProblemError("InvalidSpec", "spec.model is not set");
  const parsed = parseModelDeployment({
    apiVersion: API_VERSION, kind: KIND,
    metadata: { name: bp.metadata.name, namespace: bp.metadata.namespace, uid: bp.metadata.uid },
    spec: { model, ...(image !== undefined && { image }), ...(resources !== undefined && { resources }), protocol: "v2" },
  });
  if (!parsed.ok) throw new BatchProblemError("InvalidSpec", parsed.error.message, { cause: parsed.error });
  const runtime = BatchProblemError.from(() => catalog.resolve(model.format, "v2", model.runtime));
  const { md } = withOperatorDefaults(parsed.value, runtime);
  const ctx = { md, runtime, settings, revision: "" };
  return BatchProblemError.from(() => {
    const source = modelSource(md);
    return {
      initContainers: modelInitContainers(ctx, source),
      modelServer: modelServerContainer(ctx, source),
      volumes: [...modelVolumes(ctx, source), ...scratchVolumes(runtime)],
      tolerations: [],
      runAsUser: runtime.runAsUser,
      modelName: bp.metadata.name ?? "",
      port: runtime.port,
      description: `${model.uri} (${resolveModelVersion(md)})`,
    };
  });
}

/**
 * The parts of a ModelDeployment's stable revision, copied from its Deployment's pod template:
 * the same fetcher (URI, digest, credentials), server image, runtime arguments and resources
 * production serves with. The agent and its volumes are left out. Throws BatchProblemError
 * (StableRevisionUnusable) when the template lacks a model server.
 */
export function stableServingParts(mdName: string, revision: string, modelVersion: string | undefined, deployment: V1Deployment, driftTest?: DriftTest): ServingParts {
  const spec: V1PodSpec | undefined = deployment.spec?.template.spec;
  const modelServer = spec?.containers.find((c) => c.name === CONTAINER_MODEL_SERVER);
  if (spec === undefined || modelServer === undefined) {
    throw new BatchProblemError("StableRevisionUnusable", `Deployment ${deployment.metadata?.name ?? ""} of ModelDeployment ${mdName} has no ${CONTAINER_MODEL_SERVER} container`);
  }
  const initContainers = (spec.initContainers ?? []).filter((c) => c.name === CONTAINER_FETCHER || c.name === CONTAINER_VERIFIER);
  const mounted = new Set([modelServer, ...initContainers].flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)));
  const env = (name: string): string | undefined => modelServer.env?.find((e) => e.name === name)?.value;
  const baseline = spec.volumes?.find((v) => v.name === VOLUME_DRIFT_BASELINE);
  const port = Number(env("MDO_HTTP_PORT") ?? modelServer.ports?.[0]?.containerPort);
  if (!Number.isInteger(port) || port < 1) {
    throw new BatchProblemError("StableRevisionUnusable", `The ${CONTAINER_MODEL_SERVER} container of ModelDeployment ${mdName} declares no HTTP port`);
  }
  return {
    initContainers,
    modelServer,
    volumes: (spec.volumes ?? []).filter((v) => mounted.has(v.name)),
    tolerations: spec.tolerations ?? [],
    ...(spec.securityContext?.runAsUser === undefined ? {} : { runAsUser: spec.securityContext.runAsUser }),
    modelName: env("MDO_MODEL_NAME") ?? mdName,
    port,
    description: `ModelDeployment ${mdName} revision ${revision}${modelVersion === undefined ? "" : ` (${modelVersion})`}`,
    ...(baseline !== undefined && driftTest !== undefined && { drift: { volume: baseline, test: driftTest } }),
  };
}
