// Compute resources of the containers.
import type { V1ResourceRequirements } from "@kubernetes/client-node";
import type { ResourcesSpec } from "../../../api/index.ts";
import { canonicalQuantity } from "./quantity.ts";

export const GPU_RESOURCE = "nvidia.com/gpu";

function list(values: { cpu?: string | number | undefined; memory?: string | number | undefined } | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const out: Record<string, string> = {};
  if (values.cpu !== undefined) out.cpu = canonicalQuantity(values.cpu);
  if (values.memory !== undefined) out.memory = canonicalQuantity(values.memory);
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * The model server's requests and limits from spec.resources, quantities in canonical form.
 * `gpu: N` (N > 0) becomes limits nvidia.com/gpu: N; the API server copies it to requests.
 * Undefined when nothing is set (no empty objects: the API server would drop them).
 */
export function modelServerResources(spec: ResourcesSpec | undefined): V1ResourceRequirements | undefined {
  const requests = list(spec?.requests);
  let limits = list(spec?.limits);
  const gpu = spec?.gpu ?? 0;
  if (gpu > 0) limits = { ...limits, [GPU_RESOURCE]: String(gpu) };
  if (requests === undefined && limits === undefined) return undefined;
  return { ...(requests && { requests }), ...(limits && { limits }) };
}

/**
 * The agent's: enough for a proxy with a cache; no CPU limit, because throttling shows up as
 * request latency. The memory limit bounds the prediction cache and drift windows.
 */
export function agentResources(): V1ResourceRequirements {
  return { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } };
}

/** The fetcher's (and verifier's): streaming a download to disk needs little memory. */
export function fetcherResources(): V1ResourceRequirements {
  return { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } };
}
