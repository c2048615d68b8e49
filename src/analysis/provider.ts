// The seam between the analyzer (which turns numbers into verdicts) and a metrics provider (which
// reads the numbers of one revision for one interval). One implementation per source: prometheus/
// and agent/.
import type { DriftEvidence } from "./drift-evidence.ts";

/** A measured value, or why there is none (a NO_DATA_REASONS reason and a message for people). */
export type Reading<T> =
  | { readonly ok: true; readonly value: T; readonly note?: string }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** The revision and the window a provider reads. */
export interface AnalysisTarget {
  readonly namespace: string;
  /** The ModelDeployment's name (the agents' `model` label). */
  readonly name: string;
  readonly revision: string;
  readonly intervalMs: number;
}

/**
 * The revision's traffic in the interval, over the analysed routes (ANALYSED_ROUTES): requests
 * answered, how many of them with a 5xx code, and the 99th percentile latency (undefined when
 * there were no requests to measure).
 */
export interface Traffic {
  readonly requests: number;
  readonly errors: number;
  readonly latencyP99Ms: number | undefined;
  /**
   * The window the counts cover: the interval (prometheus), the time since the previous reading
   * (agent); undefined when some agents were read for the first time (counts since they started).
   */
  readonly windowMs: number | undefined;
}

/** Labelled predictions scored in an interval (the agents' mdo_agent_feedback_* counters' increases). */
export interface LabelScores {
  readonly rows: number;
  /** Of them, correct (classification). */
  readonly correct: number;
  /** Sum of absolute errors (regression). */
  readonly absoluteError: number;
  /** Sum of squared errors (regression); read for status, not by the check. */
  readonly squaredError?: number;
}

/**
 * What the stable revision's agents counted while mirroring requests to the candidate (shadow
 * phase), since they started: only the series whose `candidate` label is the canary's revision.
 */
export interface ShadowAgreement {
  /** Rows of compared mirrored requests. */
  readonly rows: number;
  /** Of them, rows on which the candidate's answer agreed with the stable revision's. */
  readonly agreeingRows: number;
  /** Mirrored requests whose two answers were compared. */
  readonly compared: number;
  /** Mirrored requests the candidate failed (no answer in time, or not 2xx). */
  readonly candidateErrors: number;
  /** Requests not mirrored because maxInFlight mirrors were running. */
  readonly dropped: number;
}

/** What the agreement check needs measured. */
export interface AgreementRequest {
  /** The revision whose agents mirror to the canary and count the comparisons. */
  readonly stableRevision: string;
}

/** What the drift check needs measured. */
export interface DriftRequest {
  /** Rows a window needs to be tested (pooled over pods, or one pod's when pods are tested alone). */
  readonly minWindow: number;
  /** The stable revision: the canary's windows are compared with its live ones too, where the provider can. */
  readonly stableRevision?: string;
}

/** What the analyzer needs from one provider in one interval. */
export interface MeasureRequest {
  readonly traffic: boolean;
  /** Undefined: the drift check is not configured for this provider. */
  readonly drift: DriftRequest | undefined;
  /** Whether the groundTruth check needs the interval's label scores. */
  readonly groundTruth: boolean;
  /** Undefined: the agreement check is not run (not configured for this provider, or no shadow phase). */
  readonly agreement?: AgreementRequest;
  /** Queries of custom checks, as written in analysis.metrics[].query. */
  readonly metrics: readonly string[];
}

export interface Measurements {
  readonly traffic?: Reading<Traffic>;
  /** The tests of the revision's input drift. */
  readonly drift?: Reading<DriftEvidence>;
  /** The labels joined for the revision in the interval, and their scores. */
  readonly groundTruth?: Reading<LabelScores>;
  /** The comparisons of the canary's answers with the stable revision's (when `agreement` was asked). */
  readonly agreement?: Reading<ShadowAgreement>;
  /** One reading per requested query. */
  readonly metrics: ReadonlyMap<string, Reading<number>>;
}

/**
 * Reads everything `wanted` asks for in one go, once per interval: a provider that keeps state
 * between intervals (the agent provider's previous scrape) advances it on every call. Never
 * throws for an unreachable or empty source: that is a reading with `ok: false`.
 */
export interface MetricsProvider {
  measure(target: AnalysisTarget, wanted: MeasureRequest, signal?: AbortSignal): Promise<Measurements>;
}

/** Routes the analysis counts: inference only, never health checks or metadata lookups. */
export const EXCLUDED_ROUTES = ["health", "metadata"] as const;

/** A `noData` reading. */
export function unavailable<T>(reason: string, message: string): Reading<T> {
  return { ok: false, reason, message };
}
