// The model volume and the init container that fills (or verifies) it.
import type { V1Container, V1EnvFromSource, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
import type { BuildContext } from "./context.ts";
import type { ModelSource } from "./model-source.ts";
import { CONTAINER_FETCHER, CONTAINER_VERIFIER, MODEL_DIR, VOLUME_MODEL } from "./paths.ts";
import { fetcherResources } from "./resources.ts";
import { containerSecurityContext } from "./security.ts";

/** An emptyDir the fetcher writes, or the pvc:// claim, mounted read-only. */
export function modelVolume(source: ModelSource): V1Volume {
  if (source.kind === "pvc") {
    return { name: VOLUME_MODEL, persistentVolumeClaim: { claimName: source.claimName, readOnly: true } };
  }
  return { name: VOLUME_MODEL, emptyDir: {} };
}

/** The model volume as the model server sees it: read-only at MODEL_DIR. */
export function modelServerMount(): V1VolumeMount {
  return { name: VOLUME_MODEL, mountPath: MODEL_DIR, readOnly: true };
}

/**
 * Init containers that run before the model server:
 * - fetched sources: `model-fetcher` runs `fetch --uri --dest [--digest]`, writing the model into
 *   the emptyDir and failing (so the pod never starts) when the digest does not match. The
 *   storage Secret reaches it only as `envFrom`, and only this container gets it.
 * - pvc:// with spec.model.digest: `model-verifier` runs `verify --path --digest` on the
 *   read-only claim, so the integrity pin is honoured without copying the model.
 * - pvc:// without a digest: none.
 * Both report failures through the termination message (FallbackToLogsOnError), which the
 * controller can surface in status.
 */
export function modelInitContainers(ctx: BuildContext, source: ModelSource): V1Container[] {
  const { digest, storageSecretRef } = ctx.md.spec.model;
  if (source.kind === "fetch") {
    const args = ["fetch", `--uri=${source.uri}`, `--dest=${MODEL_DIR}`, ...(digest === undefined ? [] : [`--digest=${digest}`])];
    const envFrom = storageSecretRef === undefined ? undefined : [{ secretRef: { name: storageSecretRef.name } }];
    return [initContainer(ctx, CONTAINER_FETCHER, args, { name: VOLUME_MODEL, mountPath: MODEL_DIR }, envFrom)];
  }
  if (digest === undefined) return [];
  const args = ["verify", `--path=${source.modelDir}`, `--digest=${digest}`];
  return [initContainer(ctx, CONTAINER_VERIFIER, args, modelServerMount())];
}

function initContainer(ctx: BuildContext, name: string, args: string[], mount: V1VolumeMount, envFrom?: V1EnvFromSource[]): V1Container {
  return {
    name,
    image: ctx.settings.fetcherImage,
    args,
    ...(envFrom !== undefined && { envFrom }),
    resources: fetcherResources(),
    volumeMounts: [mount],
    securityContext: containerSecurityContext(true),
    terminationMessagePolicy: "FallbackToLogsOnError",
  };
}
