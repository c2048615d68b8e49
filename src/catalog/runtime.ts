// One serving runtime of the catalog: how to run a model server for some formats.
import { z } from "zod";
import { MODEL_FORMATS } from "../api/model.ts";
import { PROTOCOLS } from "../api/spec.ts";
import { RUNTIME_LAYOUTS } from "../delivery/layout/kinds.ts";

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
});
export type ServingRuntime = z.output<typeof ServingRuntime>;
export type ServingRuntimeInput = z.input<typeof ServingRuntime>;
