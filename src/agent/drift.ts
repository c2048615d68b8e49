// Plugs the drift statistics (src/drift/) into the agent's DriftHook: request bodies → feature
// rows (FeatureExtractor) → binned counts per window (DriftMonitor) → the report the agent exports.
import { readFile } from "node:fs/promises";
import type { Protocol } from "../api/index.ts";
import { DriftMonitor, parseBaseline, type Baseline } from "../drift/index.ts";
import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logging.ts";
import type { AgentConfig } from "./config.ts";
import { noDrift, type DriftHook, type DriftReport } from "./drift-hook.ts";
import { FeatureExtractor } from "./features.ts";

/** A window also closes after this long (if it has its minimum sample count), so drift stays current at low traffic. */
export const DRIFT_WINDOW_MAX_AGE_MS = 10 * 60_000;
/**
 * A report older than this (since its window closed) is no longer served: with too little
 * traffic to close a window, GET /drift answers 404 instead of describing hours-old inputs.
 */
export const DRIFT_REPORT_TTL_MS = 3 * DRIFT_WINDOW_MAX_AGE_MS;

/** The drift hook for a loaded baseline. */
export function driftHookFor(baseline: Baseline, window: number, clock: Pick<Clock, "now">): DriftHook {
  const extractor = new FeatureExtractor(baseline.features);
  const monitor = new DriftMonitor(baseline, { maxSamples: window, maxAgeMs: DRIFT_WINDOW_MAX_AGE_MS, clock });
  const prediction = baseline.prediction;
  return {
    enabled: true,
    observesPredictions: prediction !== undefined,
    observe(body: Buffer, protocol: Protocol): void {
      for (const row of extractor.rowsFromText(body, protocol)) monitor.observe(row);
    },
    observePredictions(values: readonly (number | string)[]): void {
      if (prediction === undefined) return;
      // Categorical profiles hold labels as strings ("0", "setosa"); numeric ones numbers.
      for (const v of values) monitor.observePrediction(prediction.kind === "categorical" ? String(v) : typeof v === "number" ? v : Number(v));
    },
    report(): DriftReport | undefined {
      // Everything the window measured, counts included: the operator pools pods' counts.
      const report = monitor.report();
      return report === undefined || clock.now() - report.windowEndMs > DRIFT_REPORT_TTL_MS ? undefined : report;
    },
  };
}

/**
 * Loads the configured baseline. Drift is off without `config.drift`; a missing or invalid
 * baseline file turns drift off too (logged), because drift must never stop serving.
 */
export async function loadDriftHook(config: AgentConfig, clock: Pick<Clock, "now">, logger: Logger): Promise<DriftHook> {
  if (config.drift === undefined || config.protocol === "raw" || config.protocol === "openai") return noDrift;
  try {
    const baseline = parseBaseline(await readFile(config.drift.baselineFile, "utf8"));
    logger.info("Loaded drift baseline", { features: baseline.features.length, window: config.drift.window });
    return driftHookFor(baseline, config.drift.window, clock);
  } catch (error) {
    logger.warn("Drift is unavailable: no usable baseline", { file: config.drift.baselineFile, error: error instanceof Error ? error.message : String(error) });
    return noDrift;
  }
}
