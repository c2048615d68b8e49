// spec.resources: compute resources of the model server container.
import { z } from "zod";
import { celIsQuantity, celQuantity, compareQuantities, quantity } from "./quantity.ts";
import { withRules, type Rule } from "./rules.ts";

/** The most GPUs one replica may ask for; no common node offers more. */
export const MAX_GPUS = 16;

function resourceList(kind: "requests" | "limits") {
  const verb = kind === "requests" ? "Requested" : "Limit of";
  return z
    .strictObject({
      cpu: quantity(`${verb} CPU, in cores: 2, "1.5" or "500m".`).optional(),
      memory: quantity(`${verb} memory, in bytes: "512Mi", "4Gi" or 1073741824.`).optional(),
    })
    .describe(
      kind === "requests"
        ? "Resources the scheduler reserves for each replica's model server."
        : "Resources each replica's model server may not exceed.",
    );
}

type ResourceList = z.output<ReturnType<typeof resourceList>>;
type Resources = { requests?: ResourceList | undefined; limits?: ResourceList | undefined };

function requestWithinLimit(name: "cpu" | "memory"): Rule<Resources> {
  const req = `self.requests.${name}`;
  const lim = `self.limits.${name}`;
  return {
    cel:
      `!has(self.requests) || !has(self.limits) || !has(${req}) || !has(${lim}) || ` +
      `!${celIsQuantity(req)} || !${celIsQuantity(lim)} || ` +
      `${celQuantity(req)}.compareTo(${celQuantity(lim)}) <= 0`,
    holds: (self) => {
      const request = self.requests?.[name];
      const limit = self.limits?.[name];
      if (request === undefined || limit === undefined) return true;
      return (compareQuantities(request, limit) ?? 0) <= 0;
    },
    message: `spec.resources.requests.${name} must be less than or equal to spec.resources.limits.${name}`,
    fieldPath: `.requests.${name}`,
  };
}

const ResourcesShape = z
  .strictObject({
    requests: resourceList("requests").optional(),
    limits: resourceList("limits").optional(),
    gpu: z
      .int()
      .min(0)
      .max(MAX_GPUS)
      .optional()
      .describe(
        `Whole GPUs (nvidia.com/gpu) for each replica, 0 to ${MAX_GPUS}; requested and ` +
          "limited to the same count, as Kubernetes requires for extended resources.",
      ),
  })
  .describe(
    "Compute resources of the model server container in each replica. For each of cpu and " +
      "memory named in neither requests nor limits, the serving runtime's default applies (1 CPU " +
      "and 2Gi requested, a 2Gi memory limit, unless the runtime catalog says otherwise; " +
      "status.defaults.resources shows what was filled in). The MDO agent sidecar has its own " +
      "small fixed resources.",
  );

export const ResourcesSpec = withRules(ResourcesShape, [
  requestWithinLimit("cpu"),
  requestWithinLimit("memory"),
]);
export type ResourcesSpec = z.output<typeof ResourcesSpec>;
