import { strict as assert } from "node:assert";
import { test } from "node:test";
import { agreementQueries } from "../../../src/analysis/prometheus/agreement.ts";

test("agreement queries select the stable revision's series of this candidate, raw counters summed", () => {
  const stable = 'namespace="ml",model="fraud",revision="r1",candidate="r2"';
  assert.deepEqual(agreementQueries({ namespace: "ml", name: "fraud", revision: "r2", intervalMs: 60_000 }, "r1"), {
    rows: `sum(mdo_agent_shadow_rows_total{${stable}})`,
    agreeingRows: `sum(mdo_agent_shadow_agreeing_rows_total{${stable}})`,
    compared: `sum(mdo_agent_shadow_requests_total{${stable},result="compared"})`,
    candidateErrors: `sum(mdo_agent_shadow_requests_total{${stable},result="candidate_error"})`,
    dropped: `sum(mdo_agent_shadow_requests_total{${stable},result="dropped"})`,
  });
  const odd = agreementQueries({ namespace: "ml", name: "fraud", revision: 'r2"}or{x="', intervalMs: 1000 }, 'r1\\');
  assert.equal(odd.rows, 'sum(mdo_agent_shadow_rows_total{namespace="ml",model="fraud",revision="r1\\\\",candidate="r2\\"}or{x=\\""})', "values are escaped");
});
