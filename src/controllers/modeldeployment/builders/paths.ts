// Names and paths inside the pod, fixed so the agent, the fetcher and the model server agree.

export const CONTAINER_MODEL_SERVER = "model-server";
export const CONTAINER_AGENT = "agent";
export const CONTAINER_FETCHER = "model-fetcher";
export const CONTAINER_VERIFIER = "model-verifier";

/** Container port names; the Service and NetworkPolicy target the agent's by name. */
export const PORT_HTTP = "http";
export const PORT_METRICS = "metrics";
export const PORT_SERVER_HTTP = "server-http";

export const VOLUME_MODEL = "model";
export const VOLUME_AGENT_CONFIG = "agent-config";
export const VOLUME_API_KEY = "api-key";
export const VOLUME_DRIFT_BASELINE = "drift-baseline";
export const VOLUME_SHADOW = "shadow";
/** spec.model.storageSecretRef as files, mounted only into the fetcher. */
export const VOLUME_STORAGE_SECRET = "storage-secret";
/** Scratch emptyDirs of the runtime are named scratch-0, scratch-1, … in runtime.scratchDirs order. */
export const VOLUME_SCRATCH_PREFIX = "scratch-";

/** Mount point of the model volume: the emptyDir the fetcher writes, or the root of a pvc:// claim. */
export const MODEL_DIR = "/mnt/models";
/**
 * Where a fetched model is, inside the model volume: the fetcher stages next to it and renames
 * the finished directory here, so the server never sees a partial download.
 */
export const FETCHED_MODEL_DIR = `${MODEL_DIR}/model`;
/** Where the fetcher reads the storage Secret's keys (one file per key). */
export const STORAGE_SECRET_DIR = "/var/run/mdo/storage-secret";
export const AGENT_CONFIG_DIR = "/etc/mdo/agent";
export const AGENT_CONFIG_KEY = "config.json";
export const AGENT_CONFIG_PATH = `${AGENT_CONFIG_DIR}/${AGENT_CONFIG_KEY}`;
export const API_KEY_DIR = "/etc/mdo/auth";
export const API_KEY_FILE = "api-key";
export const BASELINE_DIR = "/etc/mdo/baseline";
export const BASELINE_FILE = "baseline.json";
/** The shadow settings (ConfigMap `<name>-shadow`, ADR 0009), followed by the agent while it runs. */
export const SHADOW_DIR = "/etc/mdo/shadow";
export const SHADOW_KEY = "shadow.json";

/**
 * Seconds both serving containers keep running after their pod starts terminating, before they
 * get SIGTERM (a preStop sleep): kube-proxy and gateways stop sending new connections to a
 * terminating pod only once they saw its endpoint go, and a pod that stopped listening at once
 * answered those with connection refused (seen on the real node while a canary step shrank the
 * stable revision). Knative's queue-proxy waits for the same reason.
 */
export const TERMINATION_DRAIN_SECONDS = 5;

/** Pod annotation: hash of the agent's config.json, so a config change is visible on the pod. */
export const ANNOTATION_AGENT_CONFIG_HASH = "mdo.dev/agent-config-hash";

/** Loopback address the agent reaches the model server on. */
export const UPSTREAM_HOST = "127.0.0.1";
/** Public port of the Service (http → the agent's http port). */
export const SERVICE_HTTP_PORT = 80;
