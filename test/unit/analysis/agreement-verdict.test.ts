import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AnalysisSpec } from "../../../src/api/analysis.ts";
import { agreementVerdict } from "../../../src/analysis/agreement-verdict.ts";
import { planChecks } from "../../../src/analysis/checks.ts";
import type { Reading, ShadowAgreement } from "../../../src/analysis/provider.ts";

function setup(agreement: Record<string, unknown>) {
  const analysis = AnalysisSpec.parse({ interval: "1m", agreement });
  return { check: planChecks(analysis, { shadowing: true })[0]!, spec: analysis.agreement! };
}
const counted = (rows: number, agreeingRows: number, more: Partial<ShadowAgreement> = {}): Reading<ShadowAgreement> => ({
  ok: true, value: { rows, agreeingRows, compared: rows, candidateErrors: 0, dropped: 0, ...more }, note: "counted by 2 agents of the stable revision r1 since they started",
});

test("fewer compared rows than minRows decide nothing: noData TooFewComparedRows, saying how many of how many", () => {
  const { check, spec } = setup({ min: 0.95 });
  assert.equal(spec.minRows, 100, "minRows defaults to 100");
  const v = agreementVerdict(check, counted(99, 99, { candidateErrors: 4, dropped: 1 }), spec);
  assert.deepEqual([v.check, v.status, v.reason, v.value], ["agreement", "noData", "TooFewComparedRows", undefined]);
  assert.equal(v.message, "99 rows compared with the candidate's answers, of minRows 100 needed (99 requests compared, 4 candidate errors, 1 dropped; counted by 2 agents of the stable revision r1 since they started); threshold the minimum 0.95");
  assert.equal(agreementVerdict(check, counted(0, 0), spec).reason, "TooFewComparedRows", "nothing compared yet");
});

test("the share of agreeing rows passes at or above min and fails below it, with the numbers in the message", () => {
  const { check, spec } = setup({ min: 0.95, minRows: 300 });
  const fail = agreementVerdict(check, counted(300, 214, { compared: 250, candidateErrors: 3 }), spec);
  assert.deepEqual([fail.status, fail.reason, fail.value, fail.threshold], ["fail", "AgreementBelowMin", 0.713333, { min: 0.95 }]);
  assert.equal(fail.message, "the candidate agreed on 214 of 300 rows (0.7133), below the minimum 0.95 (250 requests compared, 3 candidate errors, 0 dropped; counted by 2 agents of the stable revision r1 since they started)");
  const pass = agreementVerdict(check, counted(400, 399), spec);
  assert.deepEqual([pass.status, pass.reason, pass.value], ["pass", "AnswersAgree", 0.9975]);
  assert.match(pass.message, /^the candidate agreed on 399 of 400 rows \(0\.9975\), at least the minimum 0\.95 \(/);
});

test("boundaries: exactly minRows decides, exactly min passes, one row fewer agreeing fails", () => {
  const { check, spec } = setup({ min: 0.9, minRows: 100 });
  assert.deepEqual([agreementVerdict(check, counted(100, 90), spec)].map((v) => [v.status, v.reason, v.value]), [["pass", "AnswersAgree", 0.9]]);
  assert.deepEqual([agreementVerdict(check, counted(100, 89), spec)].map((v) => [v.status, v.reason, v.value]), [["fail", "AgreementBelowMin", 0.89]]);
  const strict = setup({ min: 1, minRows: 1 });
  assert.equal(agreementVerdict(strict.check, counted(1, 1), strict.spec).status, "pass", "min 1: every row must agree");
  assert.equal(agreementVerdict(strict.check, counted(5, 4), strict.spec).status, "fail");
  const lenient = setup({ min: 0, minRows: 1 });
  assert.equal(agreementVerdict(lenient.check, counted(5, 0), lenient.spec).status, "pass", "min 0 passes whatever the answers");
});

test("a reading that could not be taken is noData with its reason; extrapolated counts never exceed 1", () => {
  const { check, spec } = setup({ min: 0.9, minRows: 10 });
  const v = agreementVerdict(check, { ok: false, reason: "NoAgents", message: "no ready agent of revision r1 was found" }, spec);
  assert.deepEqual([v.status, v.reason, v.message], ["noData", "NoAgents", "no ready agent of revision r1 was found; threshold the minimum 0.9"]);
  assert.equal(agreementVerdict(check, counted(100.2, 100.5), spec).value, 1);
});
