// The agreement check's verdict (shadow phase): the share of compared rows on which the canary's
// answer agreed with the stable revision's, as the stable revision's agents counted them since
// they started mirroring to it. Fewer than minRows compared rows decide nothing (the phase waits).
// Pure.
import type { AgreementCheckSpec } from "../api/shadow.ts";
import type { Verdict } from "../rollout/verdict.ts";
import type { Check } from "./checks.ts";
import type { Reading, ShadowAgreement } from "./provider.ts";
import { FAIL_REASONS, NO_DATA_REASONS, PASS_REASONS } from "./reasons.ts";
import { formatCount, formatNumber, noData, roundValue } from "./verdicts.ts";

/** Passes when agreeingRows / rows is at least spec.min (inclusive); the value is that share. */
export function agreementVerdict(check: Check, reading: Reading<ShadowAgreement>, spec: AgreementCheckSpec): Verdict {
  if (!reading.ok) return noData(check, reading.reason, reading.message);
  const { rows, agreeingRows } = reading.value;
  const detail = `${requests(reading.value)}${reading.note === undefined ? "" : `; ${reading.note}`}`;
  if (rows < spec.minRows) {
    return noData(check, NO_DATA_REASONS.tooFewComparedRows, `${formatCount(rows)} rows compared with the candidate's answers, of minRows ${spec.minRows} needed (${detail})`);
  }
  // Clamped: extrapolated or racing counts must not report more than every row.
  const agreement = Math.min(1, agreeingRows / rows);
  const summary = `the candidate agreed on ${formatCount(agreeingRows)} of ${formatCount(rows)} rows (${formatNumber(agreement)})`;
  const base = { check: check.name, value: roundValue(agreement), threshold: check.threshold };
  return agreement < spec.min
    ? { ...base, status: "fail", reason: FAIL_REASONS.agreement, message: `${summary}, below the minimum ${formatNumber(spec.min)} (${detail})` }
    : { ...base, status: "pass", reason: PASS_REASONS.agreement, message: `${summary}, at least the minimum ${formatNumber(spec.min)} (${detail})` };
}

/** The mirrored requests behind the rows: compared, and those that compared nothing. */
function requests(a: ShadowAgreement): string {
  return `${formatCount(a.compared)} requests compared, ${formatCount(a.candidateErrors)} candidate errors, ${formatCount(a.dropped)} dropped`;
}
