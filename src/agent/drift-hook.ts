// The seam between the proxy and drift statistics. The proxy only hands request bodies to a
// DriftHook and exports its report; the statistics (src/drift/) are plugged in by the command.
import type { Protocol } from "../api/index.ts";

/**
 * One feature's drift over the latest complete window: what the gauges need. Implementations
 * carry more (src/drift/report.ts: samples, Jensen–Shannon, KS, the homogeneity test's χ², df and
 * p-value, the window's bin counts), all served at GET /drift.
 */
export interface FeatureDrift {
  readonly name: string;
  /** Population stability index against the baseline; null when the window had no value of it. */
  readonly psi: number | null;
  /** p-value of the homogeneity test against the baseline; null or absent when there was nothing to test. */
  readonly pValue?: number | null;
}

/** What the agent exports as gauges; the whole object is served as JSON at GET /drift on the metrics port. */
export interface DriftReport {
  /** Samples in the window the report was computed from. */
  readonly windowSamples: number;
  readonly features: readonly FeatureDrift[];
}

/**
 * Contract: `observe` is called synchronously with the body of every prediction request that was
 * answered 2xx (cache hits included); it must be cheap (O(features)) and must not throw — the
 * agent logs and swallows errors so drift never breaks serving. `report` is called on every
 * scrape of /metrics and /drift; undefined means drift is unavailable (no baseline, or no
 * complete window yet).
 */
export interface DriftHook {
  /** When false the agent neither buffers bodies for the hook nor calls `observe`. */
  readonly enabled: boolean;
  /** Whether the baseline profiles the model's outputs: the agent then reads answers for `observePredictions`. */
  readonly observesPredictions: boolean;
  observe(body: Buffer, protocol: Protocol): void;
  /**
   * The predictions of one 2xx answer, one per row (src/agent/answers/predictions.ts), called
   * just before `observe` with the same exchange's request, so both land in the same window.
   */
  observePredictions(values: readonly (number | string)[]): void;
  report(): DriftReport | undefined;
}

/** The default: drift off. */
export const noDrift: DriftHook = {
  enabled: false,
  observesPredictions: false,
  observe: () => undefined,
  observePredictions: () => undefined,
  report: () => undefined,
};
