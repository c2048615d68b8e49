import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { load } from "js-yaml";
import { type BaselineCommandIO, runBaselineCommand } from "../../../src/cli/baseline.ts";
import { parseBaseline } from "../../../src/drift/baseline.ts";

const fixtures = new URL("../../fixtures/drift/", import.meta.url).pathname;

/** Reads real fixture files; captures output and written files. */
function memoryIO(): BaselineCommandIO & { out: string; err: string; files: Map<string, string> } {
  const io = {
    out: "",
    err: "",
    files: new Map<string, string>(),
    readFile: (path: string) => readFile(path, "utf8"),
    writeFile: (path: string, text: string) => {
      io.files.set(path, text);
      return Promise.resolve();
    },
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

test("build from CSV writes a valid profile as JSON to stdout", async () => {
  const io = memoryIO();
  const code = await runBaselineCommand(["build", `${fixtures}customers.csv`, "--exclude", "id", "--prediction", "churned", "--bins", "4"], io);
  assert.equal(code, 0, io.err);
  const baseline = parseBaseline(io.out);
  assert.deepEqual(baseline.features.map((f) => [f.name, f.kind, f.index]), [["age", "numeric", 0], ["income", "numeric", 1], ["country", "categorical", 2], ["segment", "categorical", 3]]);
  const age = baseline.features[0];
  // ages sorted: 23 29 34 38 41 45 51 62; 4 bins → ranks 2, 4, 6 → edges 34, 41, 51
  assert.deepEqual(age?.kind === "numeric" && age.edges, [34, 41, 51]);
  assert.equal(baseline.features[1]?.count, 7, "the missing income is skipped");
  assert.deepEqual(baseline.prediction?.kind === "categorical" && baseline.prediction.categories, ["no", "yes", "__other__"]);
});

test("--configmap writes a ConfigMap holding the profile under baseline.json, to --out", async () => {
  const io = memoryIO();
  const args = ["build", `${fixtures}customers.jsonl`, "--configmap", "--namespace", "ml", "--categorical", "age", "--out", "/tmp/cm.yaml"];
  assert.equal(await runBaselineCommand(args, io), 0, io.err);
  assert.match(io.err, /Wrote baseline of 5 features from 4 rows to \/tmp\/cm.yaml/);
  const manifest = load(io.files.get("/tmp/cm.yaml") ?? "") as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
  assert.equal(manifest.kind, "ConfigMap");
  assert.deepEqual([manifest.metadata.name, manifest.metadata.namespace], ["customers-baseline", "ml"]);
  const baseline = parseBaseline(manifest.data["baseline.json"] ?? "");
  assert.equal(baseline.features.find((f) => f.name === "age")?.kind, "categorical");
});

test("--name names the ConfigMap; --help prints usage", async () => {
  const io = memoryIO();
  assert.equal(await runBaselineCommand(["build", `${fixtures}customers.csv`, "--configmap", "--name", "fraud-baseline"], io), 0);
  assert.match(io.out, /name: fraud-baseline/);
  const help = memoryIO();
  assert.equal(await runBaselineCommand(["build", "--help"], help), 0);
  assert.match(help.out, /Usage: mdo baseline build/);
});

test("a bad command line exits 2 with usage; bad data or files exit 1 with the reason", async () => {
  const usage: string[][] = [
    [],
    ["rebuild"],
    ["build"],
    ["build", "a.csv", "b.csv"],
    ["build", `${fixtures}customers.csv`, "--bins", "ten"],
    ["build", `${fixtures}customers.csv`, "--frobnicate"],
    ["build", `${fixtures}customers.csv`, "--name", "Not_Valid"],
    ["build", `${fixtures}customers.csv`, "--namespace", "a.b"],
    ["build", `${fixtures}customers.txt`],
  ];
  for (const argv of usage) {
    const io = memoryIO();
    assert.equal(await runBaselineCommand(argv, io), 2, argv.join(" "));
    assert.match(io.err, /Usage: mdo baseline build/);
  }
  const failures: [string[], RegExp][] = [
    [["build", `${fixtures}missing.csv`], /ENOENT/],
    [["build", `${fixtures}bad-quote.csv`], /unterminated/],
    [["build", `${fixtures}customers.csv`, "--bins", "1"], /bins must be/],
    [["build", `${fixtures}customers.csv`, "--exclude", "nope"], /Unknown column/],
  ];
  for (const [argv, message] of failures) {
    const io = memoryIO();
    assert.equal(await runBaselineCommand(argv, io), 1, argv.join(" "));
    assert.match(io.err, message);
  }
});
