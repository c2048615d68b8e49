// The agreement check's reading from the stable revision's agents: their shadow counters summed
// over pods, only the series whose `candidate` label is the canary's revision. Cumulative since
// the agents started (no interval memory): the label makes the counts this candidate's alone.
// Pure.
import { AGENT_METRICS, SHADOW_CANDIDATE_LABEL, SHADOW_RESULTS } from "../metric-names.ts";
import type { ShadowAgreement } from "../provider.ts";
import type { Exposition } from "./text-format.ts";

/** The comparisons with `candidate` counted in `expositions` (one per agent); zeros when none. */
export function shadowAgreementOf(expositions: readonly Exposition[], candidate: string): ShadowAgreement {
  const total = (name: string, result?: string): number => {
    let sum = 0;
    for (const exposition of expositions) {
      for (const s of exposition.samples) {
        if (s.name !== name || s.labels[SHADOW_CANDIDATE_LABEL] !== candidate) continue;
        if (result !== undefined && s.labels.result !== result) continue;
        sum += s.value;
      }
    }
    return sum;
  };
  return {
    rows: total(AGENT_METRICS.shadowRows),
    agreeingRows: total(AGENT_METRICS.shadowAgreeingRows),
    compared: total(AGENT_METRICS.shadowRequests, SHADOW_RESULTS.compared),
    candidateErrors: total(AGENT_METRICS.shadowRequests, SHADOW_RESULTS.candidateError),
    dropped: total(AGENT_METRICS.shadowRequests, SHADOW_RESULTS.dropped),
  };
}
