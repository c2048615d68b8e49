// From the providers' readings to one verdict per check. Pure: the analyzer gathers readings,
// this file applies minRequests and the thresholds.
import type { Verdict } from "../rollout/verdict.ts";
import { agreementVerdict } from "./agreement-verdict.ts";
import type { AnalysisRequest } from "./analyzer.ts";
import type { Check, ProviderName } from "./checks.ts";
import { driftVerdict } from "./drift-verdict.ts";
import { groundTruthVerdict } from "./ground-truth-verdict.ts";
import type { Measurements, Reading, Traffic } from "./provider.ts";
import { promDuration } from "./prometheus/template.ts";
import { NO_DATA_REASONS } from "./reasons.ts";
import { formatCount, judge, noData } from "./verdicts.ts";

export type MeasurementsByProvider = Partial<Record<ProviderName, Measurements>>;

/**
 * One verdict per check, in the checks' order. Traffic (for successRate, latencyP99 and
 * minRequests) comes from analysis.provider. With minRequests set, an interval whose request
 * count is unknown or below it makes every check noData (the count's reason, or TooFewRequests).
 * Without requests, successRate and latencyP99 are noData NoRequests; drift and custom checks
 * do not depend on traffic unless minRequests is set.
 */
export function decide(request: AnalysisRequest, checks: readonly Check[], measured: MeasurementsByProvider): Verdict[] {
  const traffic = measured[request.analysis.provider]?.traffic;
  const window = traffic?.ok !== true ? `the last ${promDuration(request.intervalMs)}`
    : traffic.value.windowMs === undefined ? "the agents' lifetime" : `the last ${promDuration(traffic.value.windowMs)}`;
  const minRequests = request.analysis.minRequests;
  if (minRequests !== undefined && traffic !== undefined) {
    if (!traffic.ok) return checks.map((c) => noData(c, traffic.reason, `request count unavailable: ${traffic.message}`));
    if (traffic.value.requests < minRequests) {
      const message = `${formatCount(traffic.value.requests)} requests in ${window}, fewer than minRequests ${minRequests}`;
      return checks.map((c) => noData(c, NO_DATA_REASONS.tooFewRequests, message));
    }
  }
  return checks.map((check) => {
    const measurements = measured[check.provider];
    switch (check.kind) {
      case "successRate":
      case "latencyP99":
        return trafficVerdict(check, traffic, window);
      case "drift": {
        const spec = request.analysis.drift;
        const reading = measurements?.drift;
        return spec === undefined || reading === undefined ? missing(check) : driftVerdict(check, reading, spec);
      }
      case "groundTruth": {
        const spec = request.analysis.groundTruth;
        const reading = measurements?.groundTruth;
        return spec === undefined || reading === undefined ? missing(check) : groundTruthVerdict(check, reading, spec, window);
      }
      case "agreement": {
        const spec = request.analysis.agreement;
        const reading = measurements?.agreement;
        return spec === undefined || reading === undefined ? missing(check) : agreementVerdict(check, reading, spec);
      }
      case "metric":
        return fromReading(check, measurements?.metrics.get(check.query ?? ""));
    }
  });
}

function trafficVerdict(check: Check, traffic: Reading<Traffic> | undefined, window: string): Verdict {
  if (traffic === undefined) return missing(check);
  if (!traffic.ok) return noData(check, traffic.reason, traffic.message);
  const { requests, errors, latencyP99Ms } = traffic.value;
  const note = traffic.note === undefined ? "" : `; ${traffic.note}`;
  if (requests <= 0) return noData(check, NO_DATA_REASONS.noRequests, `no requests in ${window}${note}`);
  if (check.kind === "successRate") {
    // Clamped: extrapolated counts (Prometheus increase()) can put errors a hair above requests.
    return judge(check, Math.min(1, Math.max(0, 1 - errors / requests)), `${formatCount(errors)} of ${formatCount(requests)} requests answered 5xx in ${window}${note}`);
  }
  if (latencyP99Ms === undefined) return noData(check, NO_DATA_REASONS.noSamples, `no latency samples in ${window}${note}`);
  return judge(check, latencyP99Ms, `${formatCount(requests)} requests in ${window}${note}`);
}

function fromReading(check: Check, reading: Reading<number> | undefined): Verdict {
  if (reading === undefined) return missing(check);
  if (!reading.ok) return noData(check, reading.reason, reading.message);
  return judge(check, reading.value, reading.note);
}

/** A provider that was asked returns every reading; this is a programming error, made visible. */
function missing(check: Check): Verdict {
  return noData(check, NO_DATA_REASONS.metricsUnavailable, `no reading from the ${check.provider} provider`);
}
