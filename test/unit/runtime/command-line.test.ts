// The command line of `mdo operator`, `mdo activator` and `mdo batch run`: options as kebab-case
// string flags plus --help, unknown flags refused; usage lines with defaults and variables.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { flagLines, flagName, parseCommandLine } from "../../../src/runtime/command-line.ts";

test("flags are the options in kebab case; values by option name; --help apart", () => {
  assert.equal(flagName("healthAddress"), "health-address");
  assert.deepEqual(parseCommandLine(["healthAddress", "qps"], ["--health-address", "0.0.0.0:8081", "--qps=5"]), {
    help: false, flags: { healthAddress: "0.0.0.0:8081", qps: "5" },
  });
  assert.deepEqual(parseCommandLine(["qps"], ["--help"]), { help: true, flags: {} });
});

test("an unknown flag or a flag without its value is refused", () => {
  assert.throws(() => parseCommandLine(["qps"], ["--burst", "3"]), /Unknown option '--burst'/);
  assert.throws(() => parseCommandLine(["qps"], ["--qps"]), /argument missing/);
});

test("usage lines: aligned flags, description, default when there is one, environment variable", () => {
  const lines = flagLines({ qps: { description: "Requests per second." }, healthAddress: { description: "Where." }, url: {} }, { qps: 20, healthAddress: undefined }, (o) => `MDO_${o.toUpperCase()}`);
  assert.deepEqual(lines, [
    "  --qps             Requests per second. (default 20) [MDO_QPS]",
    "  --health-address  Where. [MDO_HEALTHADDRESS]",
    "  --url             [MDO_URL]",
  ]);
});
