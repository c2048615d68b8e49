// When `mdo get` and `mdo list` use colour, and how they answer bad usage (before any cluster access).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runGetCommand } from "../../../src/cli/get-command.ts";
import { outputFormat, useColour, type CliOutput } from "../../../src/cli/get-output.ts";
import { runListCommand } from "../../../src/cli/list-command.ts";

function capture(isTTY: boolean, env: NodeJS.ProcessEnv = {}): CliOutput & { out: string; err: string } {
  const sink = { out: "", err: "", isTTY, env, write: (t: string) => { sink.out += t; }, error: (l: string) => { sink.err += `${l}\n`; } };
  return sink;
}

describe("useColour", () => {
  it("colours a terminal unless NO_COLOR is set and not empty; --color overrides", () => {
    assert.equal(useColour(undefined, capture(true)), true);
    assert.equal(useColour("auto", capture(true, { NO_COLOR: "" })), true);
    assert.equal(useColour(undefined, capture(true, { NO_COLOR: "1" })), false);
    assert.equal(useColour(undefined, capture(false)), false);
    assert.equal(useColour("always", capture(false, { NO_COLOR: "1" })), true);
    assert.equal(useColour("never", capture(true)), false);
    assert.throws(() => useColour("sometimes", capture(true)), /--color must be auto, always or never/);
  });

  it("knows the output formats text and json only", () => {
    assert.deepEqual([outputFormat(undefined), outputFormat("text"), outputFormat("json")], ["text", "text", "json"]);
    assert.throws(() => outputFormat("yaml"), /-o must be text or json/);
  });
});

describe("bad usage exits 2 with the usage, before connecting", () => {
  for (const argv of [[], ["a", "b"], ["Not_A_Name"], ["x", "--frobnicate"], ["x", "-o", "yaml"], ["x", "--color", "pink"]]) {
    it(`mdo get ${argv.join(" ")}`, async () => {
      const output = capture(false);
      assert.equal(await runGetCommand(argv, { output }), 2);
      assert.match(output.err, /Usage: mdo get <model-deployment>/);
      assert.equal(output.out, "");
    });
  }

  it("mdo list -n a -A, mdo list x", async () => {
    for (const argv of [["-n", "a", "-A"], ["x"]]) {
      const output = capture(false);
      assert.equal(await runListCommand(argv, { output }), 2);
      assert.match(output.err, /Usage: mdo list/);
    }
  });

  it("--help prints the usage and exits 0", async () => {
    const output = capture(false);
    assert.equal(await runGetCommand(["--help"], { output }), 0);
    assert.match(output.out, /--watch/);
  });
});
