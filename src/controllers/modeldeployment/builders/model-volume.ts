// The model volume and the init container that fills (or verifies) it.
import type { V1Container, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
import type { BuildContext } from "./context.ts";
import type { ModelSource } from "./model-source.ts";
import { resolveModelVersion } from "./model-version.ts";
import { CONTAINER_FETCHER, CONTAINER_VERIFIER, MODEL_DIR, STORAGE_SECRET_DIR, VOLUME_MODEL, VOLUME_STORAGE_SECRET } from "./paths.ts";
import { fetcherResources } from "./resources.ts";
import { containerSecurityContext } from "./security.ts";

/**
 * The model volume — an emptyDir the fetcher writes, or the pvc:// claim, read-only — and, for
 * a fetched model with spec.model.storageSecretRef, the Secret as a volume only the fetcher mounts
 * (default mode 0644 on the pod's own tmpfs, like the agent's key: the pods run as a non-root
 * user without an fsGroup, so a narrower mode would lock the fetcher out).
 */
export function modelVolumes(ctx: BuildContext, source: ModelSource): V1Volume[] {
  if (source.kind === "pvc") {
    return [{ name: VOLUME_MODEL, persistentVolumeClaim: { claimName: source.claimName, readOnly: true } }];
  }
  const secret = ctx.md.spec.model.storageSecretRef;
  return [
    { name: VOLUME_MODEL, emptyDir: {} },
    ...(secret === undefined ? [] : [{ name: VOLUME_STORAGE_SECRET, secret: { secretName: secret.name } }]),
  ];
}

/** The model volume as the model server sees it: read-only at MODEL_DIR. */
export function modelServerMount(): V1VolumeMount {
  return { name: VOLUME_MODEL, mountPath: MODEL_DIR, readOnly: true };
}

/**
 * Init containers that run before the model server:
 * - fetched sources: `model-fetcher` runs `mdo fetch`, which downloads the model into the
 *   emptyDir (appearing whole at source.modelDir or not at all), fails (so the pod never starts)
 *   when the digest does not match, and lays the files out for the runtime's catalog `layout`.
 *   The storage Secret reaches it only as files (--credentials-dir), and only this container
 *   mounts it: no credential is in the pod spec, an environment or a command line.
 * - pvc:// with spec.model.digest: `model-verifier` runs `verify --path --digest` on the
 *   read-only claim, so the integrity pin is honoured without copying the model.
 * - pvc:// without a digest: none.
 * Both report failures through the termination message (FallbackToLogsOnError), which the
 * controller can surface in status.
 */
export function modelInitContainers(ctx: BuildContext, source: ModelSource): V1Container[] {
  const { digest, storageSecretRef } = ctx.md.spec.model;
  if (source.kind === "fetch") {
    const args = [
      "fetch",
      `--uri=${source.uri}`,
      `--dest=${source.modelDir}`,
      ...(digest === undefined ? [] : [`--digest=${digest}`]),
      `--layout=${ctx.runtime.layout}`,
      `--format=${ctx.md.spec.model.format}`,
      `--model-name=${ctx.md.metadata.name ?? ""}`,
      `--model-version=${resolveModelVersion(ctx.md)}`,
      ...(storageSecretRef === undefined ? [] : [`--credentials-dir=${STORAGE_SECRET_DIR}`, `--secret-name=${storageSecretRef.name}`]),
    ];
    const mounts: V1VolumeMount[] = [
      { name: VOLUME_MODEL, mountPath: MODEL_DIR },
      ...(storageSecretRef === undefined ? [] : [{ name: VOLUME_STORAGE_SECRET, mountPath: STORAGE_SECRET_DIR, readOnly: true }]),
    ];
    return [initContainer(ctx, CONTAINER_FETCHER, args, mounts)];
  }
  if (digest === undefined) return [];
  const args = ["verify", `--path=${source.modelDir}`, `--digest=${digest}`];
  return [initContainer(ctx, CONTAINER_VERIFIER, args, [modelServerMount()])];
}

function initContainer(ctx: BuildContext, name: string, args: string[], volumeMounts: V1VolumeMount[]): V1Container {
  return {
    name,
    image: ctx.settings.fetcherImage,
    args,
    resources: fetcherResources(),
    volumeMounts,
    securityContext: containerSecurityContext(true),
    terminationMessagePolicy: "FallbackToLogsOnError",
  };
}
