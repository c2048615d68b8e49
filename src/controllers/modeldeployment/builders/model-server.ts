// The model-server container: the runtime's server, reachable only through the agent.
import type { V1Container, V1EnvVar, V1Volume } from "@kubernetes/client-node";
import type { ServingRuntime } from "../../../catalog/runtime.ts";
import type { BuildContext } from "./context.ts";
import { BuildError } from "./errors.ts";
import type { ModelSource } from "./model-source.ts";
import { modelServerMount } from "./model-volume.ts";
import { CONTAINER_MODEL_SERVER, MODEL_DIR, PORT_SERVER_HTTP, TERMINATION_DRAIN_SECONDS, VOLUME_SCRATCH_PREFIX } from "./paths.ts";
import { fillPlaceholders, type PlaceholderValues } from "./placeholders.ts";
import { modelServerResources } from "./resources.ts";
import { containerSecurityContext } from "./security.ts";

/** Images on the reserved .invalid domain are catalog stand-ins that say "set spec.image". */
const PLACEHOLDER_IMAGE = /^[^/]+\.invalid(:[0-9]+)?\//;

/**
 * The runtime's scratch directories as (volume name, mount path) pairs, scratch-0, scratch-1, …
 * Throws BuildError (InvalidRuntime) for a path listed twice or equal to the model directory.
 */
function scratchDirs(runtime: ServingRuntime): { name: string; path: string }[] {
  const seen = new Set([MODEL_DIR]);
  return runtime.scratchDirs.map((dir, i) => {
    const path = dir.replace(/\/+$/, "") || "/";
    if (seen.has(path)) {
      throw new BuildError(
        "InvalidRuntime",
        `Runtime ${runtime.name} lists scratch directory ${path} twice or over the model directory ${MODEL_DIR}; fix scratchDirs in the runtime catalog entry`,
      );
    }
    seen.add(path);
    return { name: `${VOLUME_SCRATCH_PREFIX}${i}`, path };
  });
}

/** Writable emptyDirs for runtime.scratchDirs. Throws BuildError (InvalidRuntime). */
export function scratchVolumes(runtime: ServingRuntime): V1Volume[] {
  return scratchDirs(runtime).map(({ name }) => ({ name, emptyDir: {} }));
}

function env(name: string, value: string): V1EnvVar {
  // An empty value is dropped by the API server; sending it would never compare equal.
  return value === "" ? { name } : { name, value };
}

/**
 * The model server. Runtime command, args and env get their placeholders filled; MDO_MODEL_DIR,
 * MDO_MODEL_NAME, MDO_HTTP_PORT (and MDO_GRPC_PORT) tell any server, including custom images,
 * where the model is and where to listen. Its port is declared (server-http) for clarity but
 * only the agent uses it: the Service and NetworkPolicy never expose it. No probes here: the
 * agent's readiness follows the server's readiness path, and kubelet probes would need the
 * server to listen on the pod IP. Throws BuildError (ImageRequired, InvalidRuntime).
 */
export function modelServerContainer(ctx: BuildContext, source: ModelSource): V1Container {
  const { md, runtime } = ctx;
  const image = md.spec.image ?? runtime.image;
  if (PLACEHOLDER_IMAGE.test(image)) {
    throw new BuildError("ImageRequired", `Runtime ${runtime.name} has no image of its own; set spec.image to your model server's image`);
  }
  const values: PlaceholderValues = {
    modelDir: source.modelDir,
    modelName: md.metadata.name ?? "",
    port: String(runtime.port),
    grpcPort: runtime.grpcPort === undefined ? undefined : String(runtime.grpcPort),
  };
  const fill = (text: string, where: string): string => fillPlaceholders(text, values, runtime.name, where);
  const resources = modelServerResources(md.spec.resources);
  return {
    name: CONTAINER_MODEL_SERVER,
    image,
    ...(runtime.command !== undefined && { command: runtime.command.map((c) => fill(c, "command")) }),
    ...(runtime.args.length > 0 && { args: runtime.args.map((a) => fill(a, "args")) }),
    env: [
      env("MDO_MODEL_DIR", values.modelDir),
      env("MDO_MODEL_NAME", values.modelName),
      env("MDO_HTTP_PORT", values.port),
      ...(values.grpcPort === undefined ? [] : [env("MDO_GRPC_PORT", values.grpcPort)]),
      ...runtime.env.map((e) => env(e.name, fill(e.value, `env ${e.name}`))),
    ],
    ports: [{ name: PORT_SERVER_HTTP, containerPort: runtime.port, protocol: "TCP" }],
    ...(resources !== undefined && { resources }),
    volumeMounts: [
      modelServerMount(),
      ...scratchDirs(runtime).map(({ name, path }) => ({ name, mountPath: path })),
    ],
    securityContext: containerSecurityContext(runtime.readOnlyRootFilesystem),
    // Keeps answering the agent while it drains (see TERMINATION_DRAIN_SECONDS).
    lifecycle: { preStop: { sleep: { seconds: TERMINATION_DRAIN_SECONDS } } },
    terminationMessagePolicy: "FallbackToLogsOnError",
  };
}
