// Decides what a ModelDeployment should have, or why it cannot have it (a Stalled problem).
import type { V1Secret } from "@kubernetes/client-node";
import { parseModelDeployment, type ModelDeployment } from "../../api/index.ts";
import { RuntimeResolutionError } from "../../catalog/catalog.ts";
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import { Resources } from "../../runtime/client/resource.ts";
import type { Logger } from "../../runtime/logging.ts";
import { BuildError, buildChildren, computeRevision, resolveModelVersion, type Children } from "./builders/index.ts";
import type { ModelDeploymentObject } from "./resource.ts";
import type { ReconcilerDeps } from "./deps.ts";
import { withOperatorDefaults, type AppliedDefaults } from "./defaults.ts";
import type { Problem } from "./status/observation.ts";

/** A status Problem (status/observation.ts) that may also say when to look again. */
export interface ReconcileProblem extends Problem {
  /** Look again after this long although no watched object changes (e.g. CRDs to be installed). */
  recheckAfterMs?: number;
}

export interface Convergence {
  /** The parsed ModelDeployment, with the operator's defaults filled in once its runtime is known. */
  model?: ModelDeployment;
  /** What the operator filled in (status.defaults); present once the runtime was resolved. */
  defaults?: { applied?: AppliedDefaults };
  revision?: string;
  modelVersion: string;
  desired?: Children;
  problem?: ReconcileProblem;
  /** Look again later (e.g. a referenced Secret we may not watch). */
  requeueAfterMs?: number;
}

/** The claim of a pvc://<claim>/<path> model URI. */
const PVC_URI = /^pvc:\/\/([^/]+)/;

/** How often a missing Secret or claim is looked for again: neither is watched (least privilege). */
export const SECRET_RECHECK_MS = 30_000;

/**
 * Validates the spec, resolves the runtime, fills in the defaults that depend on it (defaults.ts),
 * checks referenced Secrets exist (by name only; their content is never read into status, logs or
 * events) and a pvc:// model's claim exists, and builds the desired children.
 */
export async function converge(md: ModelDeploymentObject, deps: ReconcilerDeps, log: Logger): Promise<Convergence> {
  const parsed = parseModelDeployment(md);
  const fallbackVersion = md.spec?.model?.version ?? "unknown";
  if (!parsed.ok) {
    return { modelVersion: fallbackVersion, problem: { kind: "Stalled", reason: "InvalidSpec", message: parsed.error.message } };
  }
  const modelVersion = resolveModelVersion(parsed.value);
  if (parsed.value.spec.suspend) return { model: parsed.value, modelVersion };

  let runtime;
  try {
    runtime = deps.catalog.resolve(parsed.value.spec.model.format, parsed.value.spec.protocol, parsed.value.spec.model.runtime);
  } catch (error) {
    if (error instanceof RuntimeResolutionError) {
      return { model: parsed.value, modelVersion, problem: { kind: "Stalled", reason: error.reason, message: error.message } };
    }
    throw error;
  }
  const { md: model, applied } = withOperatorDefaults(parsed.value, runtime);
  const defaults = { ...(applied !== undefined && { applied }) };

  const namespace = md.metadata?.namespace ?? "";
  for (const secret of referencedSecrets(model)) {
    const found = await deps.client.get<V1Secret & KubeObject>(Resources.secrets, namespace, secret.name);
    if (found === null) {
      log.info("Referenced Secret not found", { secret: secret.name });
      return {
        model, defaults, modelVersion, requeueAfterMs: SECRET_RECHECK_MS,
        problem: { kind: "Stalled", reason: "SecretNotFound", message: `Secret ${namespace}/${secret.name} (${secret.field}) does not exist; create it or change ${secret.field}` },
      };
    }
    if (secret.key !== undefined && found.data?.[secret.key] === undefined && found.stringData?.[secret.key] === undefined) {
      return {
        model, defaults, modelVersion, requeueAfterMs: SECRET_RECHECK_MS,
        problem: { kind: "Stalled", reason: "SecretKeyNotFound", message: `Secret ${namespace}/${secret.name} has no key ${secret.key} (${secret.field})` },
      };
    }
  }

  const claim = PVC_URI.exec(model.spec.model.uri)?.[1];
  if (claim !== undefined && (await deps.client.get(Resources.persistentVolumeClaims, namespace, claim)) === null) {
    log.info("Model PersistentVolumeClaim not found", { claim });
    return {
      model, defaults, modelVersion, requeueAfterMs: SECRET_RECHECK_MS,
      problem: { kind: "Stalled", reason: "PersistentVolumeClaimNotFound", message: `PersistentVolumeClaim ${namespace}/${claim} (spec.model.uri) does not exist; create it or change spec.model.uri` },
    };
  }

  try {
    const revision = computeRevision(model, runtime, deps.settings);
    const desired = buildChildren({ md: model, runtime, settings: deps.settings, revision });
    return { model, defaults, revision, modelVersion, desired };
  } catch (error) {
    if (error instanceof BuildError) {
      return { model, defaults, modelVersion, problem: { kind: "Stalled", reason: error.reason, message: error.message } };
    }
    throw error;
  }
}

interface SecretReference {
  name: string;
  key?: string;
  field: string;
}

function referencedSecrets(md: ModelDeployment): SecretReference[] {
  const refs: SecretReference[] = [];
  const storage = md.spec.model.storageSecretRef;
  if (storage !== undefined) refs.push({ name: storage.name, field: "spec.model.storageSecretRef" });
  const auth = md.spec.serving?.auth?.apiKeySecretRef;
  if (auth !== undefined) refs.push({ name: auth.name, key: auth.key, field: "spec.serving.auth.apiKeySecretRef" });
  return refs;
}
