// The ConfigMap that carries a baseline profile to the agent.
import { dump } from "js-yaml";
import type { Baseline } from "../drift/baseline.ts";

/** Key of the profile in the ConfigMap: the default of spec.monitoring.drift.baselineRef.key. */
export const BASELINE_KEY = "baseline.json";
/** Largest ConfigMap the API server stores (1 MiB of data); a bigger profile cannot be applied. */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/**
 * The profile as the JSON text stored in the ConfigMap and written by `mdo baseline build`: one
 * feature per line, so the file stays short and a rebuilt profile diffs line by line.
 */
export function baselineJson(baseline: Baseline): string {
  const features = baseline.features.map((f) => `    ${JSON.stringify(f)}`).join(",\n");
  const prediction = baseline.prediction === undefined ? "" : `,\n  "prediction": ${JSON.stringify(baseline.prediction)}`;
  return `{\n  "version": ${baseline.version},\n  "features": [\n${features}\n  ]${prediction}\n}\n`;
}

/**
 * A v1 ConfigMap manifest holding the profile under {@link BASELINE_KEY}, as YAML for
 * `kubectl apply -f`. Without a namespace, kubectl applies it to its current namespace. Pure.
 */
export function baselineConfigMapYaml(baseline: Baseline, meta: { name: string; namespace?: string }): string {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: meta.name,
      ...(meta.namespace !== undefined && { namespace: meta.namespace }),
      labels: { "app.kubernetes.io/component": "drift-baseline", "app.kubernetes.io/created-by": "mdo" },
    },
    data: { [BASELINE_KEY]: baselineJson(baseline) },
  };
  return dump(configMap, { lineWidth: -1, noRefs: true });
}
