import { strict as assert } from "node:assert";
import { test } from "node:test";
import { phaseOf } from "../../../src/controllers/modeldeployment/status/index.ts";
import type { PhaseInputs } from "../../../src/controllers/modeldeployment/status/index.ts";

const base: PhaseInputs = { suspended: false, ready: false, stalled: false, available: false, podsFailing: false };

test("phase rules, first match wins", () => {
  const cases: [Partial<PhaseInputs>, string][] = [
    [{ suspended: true, stalled: true, ready: true }, "Suspended"],
    [{ stalled: true }, "Failed"],
    [{ stalled: true, available: true }, "Degraded"],
    [{ ready: true, available: true, podsFailing: true }, "Ready"],
    [{ available: true, podsFailing: true }, "Degraded"],
    [{ available: true }, "Progressing"],
    [{ podsFailing: true }, "Pending"],
    [{}, "Pending"],
  ];
  for (const [inputs, phase] of cases) assert.equal(phaseOf({ ...base, ...inputs }), phase, JSON.stringify(inputs));
});
