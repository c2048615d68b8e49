import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, mock } from "node:test";
import { runAgentCommand } from "../../../src/agent/command.ts";

describe("runAgentCommand", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdo-agent-cmd-"));
    mock.method(console, "error", () => undefined);
    mock.method(console, "log", () => undefined);
  });
  after(async () => {
    mock.restoreAll();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers usage errors with exit code 2", async () => {
    assert.equal(await runAgentCommand([]), 2);
    assert.equal(await runAgentCommand(["--bogus"]), 2);
    assert.equal(await runAgentCommand(["--config", join(dir, "missing.json")]), 2);
  });

  it("rejects an invalid configuration with exit code 2, naming the field", async () => {
    const path = join(dir, "bad.json");
    await writeFile(path, JSON.stringify({ revision: "abc", limits: { maxRequestBytes: 0 } }));
    const errors: string[] = [];
    mock.method(console, "error", (message: string) => errors.push(message));
    assert.equal(await runAgentCommand(["--config", path]), 2);
    assert.match(errors.join("\n"), /Invalid agent configuration/);
  });

  it("prints usage for --help", async () => {
    assert.equal(await runAgentCommand(["--help"]), 0);
  });
});
