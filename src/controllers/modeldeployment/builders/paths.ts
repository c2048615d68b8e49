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
/** Scratch emptyDirs of the runtime are named scratch-0, scratch-1, … in runtime.scratchDirs order. */
export const VOLUME_SCRATCH_PREFIX = "scratch-";

/** Where the model is: the fetcher's destination, or the root of a pvc:// claim. */
export const MODEL_DIR = "/mnt/models";
export const AGENT_CONFIG_DIR = "/etc/mdo/agent";
export const AGENT_CONFIG_KEY = "config.json";
export const AGENT_CONFIG_PATH = `${AGENT_CONFIG_DIR}/${AGENT_CONFIG_KEY}`;
export const API_KEY_DIR = "/etc/mdo/auth";
export const API_KEY_FILE = "api-key";
export const BASELINE_DIR = "/etc/mdo/baseline";
export const BASELINE_FILE = "baseline.json";

/** Pod annotation: hash of the agent's config.json, so a config change is visible on the pod. */
export const ANNOTATION_AGENT_CONFIG_HASH = "mdo.dev/agent-config-hash";

/** Loopback address the agent reaches the model server on. */
export const UPSTREAM_HOST = "127.0.0.1";
/** Public port of the Service (http → the agent's http port). */
export const SERVICE_HTTP_PORT = 80;
