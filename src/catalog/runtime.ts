// One serving runtime of the catalog: how to run a model server for some formats.
import { z } from "zod";
import { MODEL_FORMATS } from "../api/model.ts";
import { quantity } from "../api/quantity.ts";
import { PROTOCOLS } from "../api/spec.ts";
import { RUNTIME_LAYOUTS } from "../delivery/layout/kinds.ts";

/**
 * What a model server gets when the ModelDeployment's spec.resources says nothing about a resource
 * (KServe's defaults): a CPU to schedule on, and 2 GiB of memory reserved and enforced. No CPU
 * limit: throttling shows up as request latency.
 */
export const DEFAULT_RUNTIME_RESOURCES = {
  requests: { cpu: "1", memory: "2Gi" },
  limits: { memory: "2Gi" },
} as const;

const RuntimeResources = z.strictObject({
  requests: z.strictObject({ cpu: quantity("CPU reserved for the model server."), memory: quantity("Memory reserved for the model server.") }),
  limits: z.strictObject({ cpu: quantity("CPU limit.").optional(), memory: quantity("Memory limit.").optional() }).default({}),
});

/**
 * A model server the operator knows how to run. `args` may contain placeholders that the pod
 * builder fills in: {{modelDir}} (where the init container put the model), {{modelName}},
 * {{port}} (the server's internal HTTP port) and {{grpcPort}}.
 */
export const ServingRuntime = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63),
  image: z.string().min(1).max(512),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).default([]),
  env: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).default([]),
  /** Formats this runtime serves; the first runtime listing a format as default is chosen for it. */
  formats: z.array(z.enum(MODEL_FORMATS)).min(1),
  defaultFor: z.array(z.enum(MODEL_FORMATS)).default([]),
  protocols: z.array(z.enum(PROTOCOLS)).min(1),
  /** Internal HTTP port of the model server (the agent serves the public one). */
  port: z.number().int().min(1024).max(65535),
  grpcPort: z.number().int().min(1024).max(65535).optional(),
  /** Path that answers 200 once the model is loaded, per protocol; the agent probes it. */
  readinessPath: z.string().startsWith("/"),
  livenessPath: z.string().startsWith("/"),
  /** False when the server writes outside mounted volumes (e.g. caches in its home). */
  readOnlyRootFilesystem: z.boolean().default(true),
  /** Writable scratch directories to mount as emptyDir (server caches, temp files). */
  scratchDirs: z.array(z.string().startsWith("/")).default(["/tmp"]),
  runAsUser: z.number().int().min(1).default(1000),
  /**
   * How `mdo fetch` arranges the fetched files for this server (src/delivery/layout/): e.g.
   * "mlserver" writes a model-settings.json, "triton" builds <modelName>/1/. A model that already
   * ships the server's layout is kept as it is; "none" leaves every file where the store had it.
   */
  layout: z.enum(RUNTIME_LAYOUTS).default("none"),
  /**
   * The model server's resources where the ModelDeployment's spec.resources names neither a
   * request nor a limit of that resource (cpu, memory); the spec's values always win.
   */
  resources: RuntimeResources.default(DEFAULT_RUNTIME_RESOURCES),
});
export type ServingRuntime = z.output<typeof ServingRuntime>;
export type ServingRuntimeInput = z.input<typeof ServingRuntime>;
