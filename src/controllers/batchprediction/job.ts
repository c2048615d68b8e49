// The Indexed Job of a run (and the CronJob that starts runs on a schedule): one pod per shard,
// the model server as a native sidecar, `mdo batch run` as the main container. Pure.
import type { V1Container, V1CronJob, V1Job, V1JobSpec, V1OwnerReference, V1PodTemplateSpec, V1Volume } from "@kubernetes/client-node";
import { API_VERSION, BATCH_KIND, parseDuration, type BatchPrediction } from "../../api/index.ts";
import { canonicalJson, shortHash } from "../modeldeployment/builders/canonical-json.ts";
import { tolerationsFor } from "../modeldeployment/builders/pod.ts";
import { containerSecurityContext, podSecurityContext } from "../modeldeployment/builders/security.ts";
import type { OperatorSettings } from "../modeldeployment/settings.ts";
import { BASELINE_DIR, BASELINE_FILE } from "../modeldeployment/builders/paths.ts";
import { BatchProblemError } from "./problems.ts";
import type { ServingParts } from "./serving-parts.ts";
import { ANNOTATION_DRIFT_TEST, ANNOTATION_SCORES_WITH, CONTAINER_WORKER, jobLabels, VOLUME_WORK, WORK_DIR, workerPodLabels } from "./labels.ts";

/** Exit codes of `mdo batch run` that no retry can change: bad usage (2), over maxFailedRows (3). */
export const PERMANENT_EXIT_CODES = [2, 3];
export const VOLUME_BATCH_SECRET = "batch-storage-secret";
export const BATCH_SECRET_DIR = "/var/run/mdo/batch-storage-secret";
/**
 * V8's heap of the worker, bounded: left alone, V8 sizes its heap from the container's memory and
 * a worker streaming 1 GiB kept 350–390 MB resident for 20–30 MB of live data. A 1 MB young
 * generation kept it near 130 MB but cost a quarter of its throughput in scavenges; 8 MB keeps
 * both targets (npm run bench:batch measures the worker with these options, compiled as the
 * image runs it; docs/benchmarks.md).
 */
export const WORKER_NODE_OPTIONS = "--max-semi-space-size=8 --max-old-space-size=64";
/** How long a stopped worker pod may take to end. */
export const WORKER_GRACE_SECONDS = 15;
/** Pod user when the serving parts name none (a runtime without runAsUser). */
const DEFAULT_RUN_AS_USER = 1000;

function ownerReference(bp: BatchPrediction): V1OwnerReference {
  const { name, uid } = bp.metadata;
  if (name === undefined || uid === undefined) throw new BatchProblemError("MissingMetadata", "The BatchPrediction has no metadata.name or metadata.uid");
  return { apiVersion: API_VERSION, kind: BATCH_KIND, name, uid, controller: true, blockOwnerDeletion: true };
}

/**
 * The Job of a single run: `<name>-<hash of the spec>`, so a changed spec is a new run and an
 * unchanged one is never run twice. `suspend` and what only status shows are not hashed.
 */
export function runJobName(bp: BatchPrediction): string {
  const { suspend: _suspend, historyLimit: _history, ...shaping } = bp.spec;
  return `${bp.metadata.name ?? ""}-${shortHash(canonicalJson(shaping))}`;
}

function seconds(duration: string | undefined): number | undefined {
  const ms = duration === undefined ? undefined : parseDuration(duration);
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}

/** `mdo batch run` for one shard: the pod's JOB_COMPLETION_INDEX is its shard. */
export function workerContainer(bp: BatchPrediction, parts: ServingParts, settings: OperatorSettings): V1Container {
  const { spec } = bp;
  const args = [
    "batch", "run",
    `--input=${spec.input.uri}`,
    `--output=${spec.output.uri}`,
    `--model-url=http://127.0.0.1:${parts.port}`,
    `--model-name=${parts.modelName}`,
    `--shard-count=${spec.parallelism}`,
    `--batch-size=${spec.batchSize}`,
    `--concurrency=${spec.concurrency}`,
    `--timeout=${seconds(spec.timeouts.request) ?? 60}`,
    `--model-ready-timeout=${seconds(spec.timeouts.modelLoad) ?? 600}`,
    `--work-dir=${WORK_DIR}`,
    ...(spec.input.format === undefined ? [] : [`--format=${spec.input.format}`]),
    ...(spec.output.format === undefined ? [] : [`--output-format=${spec.output.format}`]),
    ...(spec.input.idField === undefined ? [] : [`--id-field=${spec.input.idField}`]),
    ...(spec.maxFailedRows === undefined ? [] : [`--max-failed-rows=${String(spec.maxFailedRows)}`]),
    ...(spec.storageSecretRef === undefined ? [] : [`--credentials-dir=${BATCH_SECRET_DIR}`]),
    ...(parts.drift === undefined ? [] : [`--drift-baseline=${BASELINE_DIR}/${BASELINE_FILE}`]),
  ];
  return {
    name: CONTAINER_WORKER,
    image: settings.fetcherImage,
    args,
    env: [{ name: "TMPDIR", value: WORK_DIR }, { name: "NODE_OPTIONS", value: WORKER_NODE_OPTIONS }],
    resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    volumeMounts: [
      { name: VOLUME_WORK, mountPath: WORK_DIR },
      ...(spec.storageSecretRef === undefined ? [] : [{ name: VOLUME_BATCH_SECRET, mountPath: BATCH_SECRET_DIR, readOnly: true }]),
      ...(parts.drift === undefined ? [] : [{ name: parts.drift.volume.name, mountPath: BASELINE_DIR, readOnly: true }]),
    ],
    securityContext: containerSecurityContext(true),
    // The worker writes its one-line summary there; the operator reads it from the pod status.
    terminationMessagePolicy: "File",
  };
}

/**
 * A worker pod: restricted Pod Security, no service account token, the model server started
 * as a native sidecar (an init container that keeps running, Kubernetes ≥ 1.29) after the model
 * is fetched, and ended by the kubelet once the worker exits.
 */
export function workerPodTemplate(bp: BatchPrediction, parts: ServingParts, settings: OperatorSettings): V1PodTemplateSpec {
  const { lifecycle: _drainOnlyForServing, ...server } = parts.modelServer;
  const secret = bp.spec.storageSecretRef;
  const volumes: V1Volume[] = [
    ...parts.volumes,
    ...(parts.drift === undefined ? [] : [parts.drift.volume]),
    { name: VOLUME_WORK, emptyDir: {} },
    ...(secret === undefined ? [] : [{ name: VOLUME_BATCH_SECRET, secret: { secretName: secret.name } }]),
  ];
  const nodeSelector = bp.spec.nodeSelector ?? {};
  const own = tolerationsFor(bp.spec.tolerations, bp.spec.resources?.gpu ?? 0);
  const tolerations = [...own, ...parts.tolerations.filter((t) => !own.some((o) => canonicalJson(o) === canonicalJson(t)))];
  return {
    metadata: { labels: workerPodLabels(bp.metadata.name ?? ""), annotations: { "kubectl.kubernetes.io/default-container": CONTAINER_WORKER } },
    spec: {
      restartPolicy: "Never",
      // A stopped worker writes its failed manifest and summary within seconds; a replacement
      // pod waits for this one to be gone (podReplacementPolicy Failed), so do not wait 30 s.
      terminationGracePeriodSeconds: WORKER_GRACE_SECONDS,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: podSecurityContext(parts.runAsUser ?? DEFAULT_RUN_AS_USER),
      initContainers: [...parts.initContainers, { ...server, restartPolicy: "Always" }],
      containers: [workerContainer(bp, parts, settings)],
      volumes,
      ...(Object.keys(nodeSelector).length > 0 && { nodeSelector: { ...nodeSelector } }),
      ...(tolerations.length > 0 && { tolerations }),
    },
  };
}

/**
 * One run: an Indexed Job of spec.parallelism shards, all at once. A shard whose pod fails is run
 * again up to spec.retries times (alone: backoffLimitPerIndex; its outputs are rewritten whole),
 * except when the worker says retrying cannot help (PERMANENT_EXIT_CODES); evictions are not
 * counted. The first shard that fails for good fails the run (maxFailedIndexes 0).
 */
export function runJobSpec(bp: BatchPrediction, parts: ServingParts, settings: OperatorSettings): V1JobSpec {
  const deadline = seconds(bp.spec.timeouts.run);
  return {
    completionMode: "Indexed",
    completions: bp.spec.parallelism,
    parallelism: bp.spec.parallelism,
    backoffLimitPerIndex: bp.spec.retries,
    maxFailedIndexes: 0,
    podFailurePolicy: {
      rules: [
        { action: "FailIndex", onExitCodes: { containerName: CONTAINER_WORKER, operator: "In", values: PERMANENT_EXIT_CODES } },
        { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
      ],
    },
    ...(deadline !== undefined && { activeDeadlineSeconds: deadline }),
    template: workerPodTemplate(bp, parts, settings),
  };
}

/** What status reads off a run's Job: what it scores with, and the drift test of its shards. */
function runAnnotations(parts: ServingParts): Record<string, string> {
  return {
    [ANNOTATION_SCORES_WITH]: parts.description,
    ...(parts.drift !== undefined && { [ANNOTATION_DRIFT_TEST]: JSON.stringify(parts.drift.test) }),
  };
}

/** The Job of a single run (no schedule), suspended while spec.suspend. */
export function buildRunJob(bp: BatchPrediction, parts: ServingParts, settings: OperatorSettings): V1Job {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: runJobName(bp), namespace: bp.metadata.namespace, labels: jobLabels(bp.metadata.name ?? ""),
      annotations: runAnnotations(parts), ownerReferences: [ownerReference(bp)],
    },
    spec: { ...runJobSpec(bp, parts, settings), suspend: bp.spec.suspend },
  };
}

/** The CronJob of a scheduled BatchPrediction: never two runs at once, spec.historyLimit Jobs kept. */
export function buildCronJob(bp: BatchPrediction, parts: ServingParts, settings: OperatorSettings): V1CronJob {
  const name = bp.metadata.name ?? "";
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: bp.metadata.namespace, labels: jobLabels(name), ownerReferences: [ownerReference(bp)] },
    spec: {
      schedule: bp.spec.schedule ?? "",
      ...(bp.spec.timeZone !== undefined && { timeZone: bp.spec.timeZone }),
      concurrencyPolicy: "Forbid",
      suspend: bp.spec.suspend,
      successfulJobsHistoryLimit: bp.spec.historyLimit,
      failedJobsHistoryLimit: bp.spec.historyLimit,
      jobTemplate: { metadata: { labels: jobLabels(name), annotations: runAnnotations(parts) }, spec: runJobSpec(bp, parts, settings) },
    },
  };
}
