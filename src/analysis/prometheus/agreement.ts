// The agreement check's PromQL: the stable revision's shadow counters, summed over its pods, of
// the series whose `candidate` label is the canary's revision. Raw counter values, not
// increase(): cumulative since the agents started, as the agent provider reads them (the label
// makes the counts this candidate's alone). Pure.
import { AGENT_METRICS, SHADOW_CANDIDATE_LABEL, SHADOW_RESULTS } from "../metric-names.ts";
import type { AnalysisTarget, ShadowAgreement } from "../provider.ts";
import { escapeLabelValue, revisionMatchers } from "./template.ts";

/** One query per field of ShadowAgreement; each sums to one number (no series: 0). */
export type AgreementQueries = Readonly<Record<keyof ShadowAgreement, string>>;

export function agreementQueries(target: AnalysisTarget, stableRevision: string): AgreementQueries {
  const stable = revisionMatchers({ ...target, revision: stableRevision });
  const selector = `${stable},${SHADOW_CANDIDATE_LABEL}="${escapeLabelValue(target.revision)}"`;
  const requests = (result: string): string => `sum(${AGENT_METRICS.shadowRequests}{${selector},result="${result}"})`;
  return {
    rows: `sum(${AGENT_METRICS.shadowRows}{${selector}})`,
    agreeingRows: `sum(${AGENT_METRICS.shadowAgreeingRows}{${selector}})`,
    compared: requests(SHADOW_RESULTS.compared),
    candidateErrors: requests(SHADOW_RESULTS.candidateError),
    dropped: requests(SHADOW_RESULTS.dropped),
  };
}
