// Labels and names that tie Jobs, CronJobs and worker pods to their BatchPrediction.
import { LABEL_COMPONENT, LABEL_MANAGED_BY, LABEL_NAME, MANAGED_BY } from "../modeldeployment/labels.ts";

/** The owning BatchPrediction's name, on its Jobs, CronJob and worker pods. */
export const LABEL_BATCH_PREDICTION = "mdo.dev/batch-prediction";
export const BATCH_COMPONENT = "batch-worker";
/** The Job controller's label of an Indexed Job's pod: its completion index. */
export const LABEL_COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

/** Labels of the Jobs and the CronJob: MDO manages them (the operator caches only those). */
export function jobLabels(name: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_NAME]: name, [LABEL_COMPONENT]: BATCH_COMPONENT, [LABEL_BATCH_PREDICTION]: name };
}

/**
 * Labels of worker pods. No managed-by label: the ModelDeployment controller caches the pods that
 * carry it, and these are not its business.
 */
export function workerPodLabels(name: string): Record<string, string> {
  return { [LABEL_NAME]: name, [LABEL_COMPONENT]: BATCH_COMPONENT, [LABEL_BATCH_PREDICTION]: name };
}

export const CONTAINER_WORKER = "worker";
export const VOLUME_WORK = "batch-work";
/** The worker's scratch space (output parts before upload); TMPDIR points here. */
export const WORK_DIR = "/var/run/mdo/batch";

/** On each run's Job: what it scores with (ServingParts.description), shown as status.model. */
export const ANNOTATION_SCORES_WITH = "mdo.dev/scores-with";
/** On each run's Job, when its shards test drift: the test (JSON of DriftTest) their p-values are judged by. */
export const ANNOTATION_DRIFT_TEST = "mdo.dev/drift-test";
