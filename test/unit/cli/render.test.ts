// `mdo render`: a ModelDeployment file's children without a cluster, built by the operator's own
// code (the Deployment is the one the builders make, shaped by a first rollout decision).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { load, loadAll } from "js-yaml";
import { runRenderCommand } from "../../../src/cli/render-command.ts";
import type { CliOutput } from "../../../src/cli/get-output.ts";

const EXAMPLES = join(import.meta.dirname, "..", "..", "..", "examples");

async function render(argv: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const output: CliOutput = { write: (t) => { stdout += t; }, error: (l) => { stderr += `${l}\n`; }, isTTY: false, env: {} };
  const code = await runRenderCommand(argv, {
    output, now: () => new Date("2026-03-01T12:00:00Z"),
    ...(input === undefined ? {} : { readInput: () => Promise.resolve(input) }),
  });
  return { code, stdout, stderr };
}

type Obj = { kind: string; metadata: { name: string; labels?: Record<string, string>; ownerReferences?: unknown }; spec?: Record<string, unknown> };

describe("mdo render", () => {
  it("prints the children of examples/minimal.yaml as YAML: ConfigMap, Service over the revision, Deployment", async () => {
    const { code, stdout, stderr } = await render([join(EXAMPLES, "minimal.yaml")]);
    assert.equal(code, 0, stderr);
    const objects = loadAll(stdout) as Obj[];
    assert.deepEqual(objects.map((o) => o.kind), ["ConfigMap", "Service", "Deployment"]);
    const deployment = objects[2]!;
    const revision = deployment.metadata.labels?.["mdo.dev/revision"];
    assert.match(revision ?? "", /^[0-9a-z]{10}$/);
    assert.equal(deployment.metadata.name, `iris-${revision}`);
    assert.equal((objects[1]?.spec?.selector as Record<string, string>)["mdo.dev/revision"], revision, "a Stable rollout's Service selects the stable revision");
    assert.ok(objects.every((o) => o.metadata.ownerReferences === undefined), "no owner references (no uid without a cluster)");
  });

  it("renders the canary example with its router's HTTPRoute, track Services and shadow settings; -o json is a List", async () => {
    const { code, stdout, stderr } = await render([join(EXAMPLES, "onnx-canary.yaml"), "-o", "json"]);
    assert.equal(code, 0, stderr);
    const list = JSON.parse(stdout) as { kind: string; items: Obj[] };
    assert.equal(list.kind, "List");
    assert.deepEqual(list.items.map((o) => o.kind), ["ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "Service", "HTTPRoute", "ConfigMap"]);
    assert.equal(list.items[2]?.spec?.replicas, 4);
  });

  it("renders every ModelDeployment of a multi-document file and skips other kinds", async () => {
    const minimal = await readFile(join(EXAMPLES, "minimal.yaml"), "utf8");
    const second = minimal.replace("name: iris", "name: iris-two");
    const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: baseline\n";
    const { code, stdout, stderr } = await render(["in.yaml"], `${minimal}\n---\n${configMap}---\n${second}`);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /in\.yaml: document 2: skipped ConfigMap baseline/);
    const deployments = (loadAll(stdout) as Obj[]).filter((o) => o.kind === "Deployment").map((o) => o.metadata.name);
    assert.equal(deployments.length, 2);
    assert.ok(deployments[1]?.startsWith("iris-two-"));
  });

  it("refuses an invalid ModelDeployment, naming the document and every field, as the API server would", async () => {
    const minimal = load(await readFile(join(EXAMPLES, "minimal.yaml"), "utf8")) as { spec: Record<string, unknown> };
    const bad = { ...minimal, spec: { ...minimal.spec, replicas: -1, color: "blue" } };
    const { code, stdout, stderr } = await render(["bad.yaml"], JSON.stringify(bad));
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /^bad\.yaml: document 1: ModelDeployment iris is invalid:\n/);
    assert.match(stderr, /\n {2}spec\.replicas: /);
    assert.match(stderr, /\n {2}spec\.color: unknown field/);
  });

  it("says so for a file that is not YAML, or holds no ModelDeployment; bad usage exits 2", async () => {
    assert.match((await render(["x.yaml"], "a: [b")).stderr, /^x\.yaml: not YAML/);
    assert.deepEqual(await render(["x.yaml"], "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n").then((r) => [r.code, /no mdo\.dev\/v1alpha1 ModelDeployment/.test(r.stderr)]), [1, true]);
    assert.equal((await render([])).code, 2);
    assert.equal((await render(["x.yaml", "-o", "toml"])).code, 2);
  });
});
