// `mdo get`, `mdo list` and `kubectl mdo` against the real control plane during a real canary
// rollout driven by the real operator: real agents on 127.0.0.1 stand in for each revision's pods
// (the canary's feed the analysis, the stable one's drift monitoring), kwok runs the pods. The
// tree is compared with a golden file (times, names and the p99 masked), `--watch` runs as a child
// process and must print a new tree when the step changes, `-o json` must match its schema.
import { strict as assert } from "node:assert";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ModelDeploymentListView, ModelDeploymentView } from "../../../src/cli/view/schema.ts";
import { kubectlOk, waitFor, type TestCluster } from "../../support/cluster.ts";
import { irisRows } from "../../support/iris-data.ts";
import { condition, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { mdepWithRollout, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";
import { sendRequests, startAgentProcess, type FailingModelServer } from "../analysis/support/agents.ts";
import { useDriftFixture } from "../analysis/support/drift-fixture.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const GOLDEN = join(import.meta.dirname, "golden", "get-waiting-for-promotion.txt");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const NAME = "fraud";
const run = promisify(execFile);
/** What `mdo get --watch` writes before each redraw on a terminal. */
const CLEAR = "\x1b[H\x1b[2J";
const jsonOut = new WeakMap<ChildProcess, string>();
const watchedJson = (child: ChildProcess): string => jsonOut.get(child) ?? "";

/**
 * Collects a child's output until `done(stdout)` holds (then sends SIGINT; at most 30 s) or it
 * exits; resolves with its exit code and output.
 */
function untilKilled(child: ChildProcess, done: (out: string) => boolean): Promise<{ code: number | null; out: string; err: string }> {
  let out = "";
  let err = "";
  const timer = setTimeout(() => child.kill("SIGINT"), 30_000);
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    jsonOut.set(child, out);
    if (done(out)) child.kill("SIGINT");
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => { err += d; });
  return new Promise((resolve) => child.once("exit", (code) => {
    clearTimeout(timer);
    resolve({ code, out, err });
  }));
}

let cluster: TestCluster;
let ns: string;
let upstream: FailingModelServer;
let dir: string;
const view = (md: MdepView): RolloutMdepView => md;

const { agents } = useDriftFixture("cli", (fx) => ({ cluster, ns, upstream, dir } = fx));

/** `mdo <args>` as a child process, as a person runs it. */
async function mdo(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["src/cmd/mdo.ts", ...args, "--kubeconfig", cluster.kubeconfigPath], { cwd: ROOT });
  return stdout;
}

/** The tree with what differs from run to run masked: names, times, the measured p99; columns' padding collapsed. */
function masked(text: string, revisions: { stable: string; canary: string }): string {
  return text
    .replaceAll(ns, "<ns>")
    .replaceAll(revisions.stable, "<stable>")
    .replaceAll(revisions.canary, "<canary>")
    .replaceAll(/(\d+[dhms])+ ago/g, "<age> ago")
    .replaceAll(/in (\d+[dhms])+/g, "in <age>")
    .replaceAll(/next (in <age>|<age> ago)/g, "next <when>")
    .replaceAll(/\d+(\.\d+)?ms(?= +\(max)/g, "<p99>")
    .replaceAll(/ {2,}/g, "  ");
}

test("mdo get shows a live canary rollout: tree, --watch on a step change, -o json, mdo list, kubectl mdo", async () => {
  const steps = [{ weight: 25, pause: "1s" }, { weight: 50 }];
  const analysis = { interval: "10s", successRate: { min: 0.9 }, latencyP99: { maxMs: 1000 } };
  const drift = { baselineRef: { configMapName: `${NAME}-baseline` }, window: 200, minWindow: 200, psiThreshold: 0.25, action: "Alert" };
  await kubectlOk(cluster, ["create", "configmap", `${NAME}-baseline`, "-n", ns, `--from-file=baseline.json=${join(dir, "baseline.json")}`]);
  await kubectlOk(cluster, ["apply", "-f", "-"], mdepWithRollout(NAME, ns, { strategy: "Canary", steps, analysis }, { replicas: 4, spec: { monitoring: { drift } } }));
  const v1 = await waitForMdep(cluster, ns, NAME, "Ready on v1", (md) => condition(md, "Ready")?.status === "True" && md.status?.stable?.modelVersion === "v1");
  const stable = v1.status?.stable?.revision ?? "";

  // The stable revision's agent sees inputs with petal_length shifted: drift on the stable revision.
  const stableAgent = await startAgentProcess(`agent-${stable}`, upstream.port, { revision: stable, model: { name: "iris", version: "v1" }, drift: { baselineFile: join(dir, "baseline.json"), window: 200 } });
  agents.set(stable, stableAgent);
  for (let i = 0; i < 4; i++) await sendRequests(`${stableAgent.url}/v2/models/iris/infer`, irisInferenceBody(irisRows(100, 50 + i, [0, 0, 1.5, 0])), 1, 1);
  await waitForMdep(cluster, ns, NAME, "drift seen on the stable revision", (md) => condition(md, "DataDrift")?.status === "True");

  await setModelVersion(cluster, ns, NAME, "v2");
  const started = view(await waitForMdep(cluster, ns, NAME, "canary at step 1", (md) => view(md).status?.canary?.step === 0));
  const canary = started.status?.canary?.revision ?? "";
  const canaryAgent = await startAgentProcess(`agent-${canary}`, upstream.port, { revision: canary, model: { name: "iris", version: "v2" } });
  agents.set(canary, canaryAgent);
  const sending = new AbortController();
  const traffic = (async () => {
    while (!sending.signal.aborted) {
      await sendRequests(`${canaryAgent.url}/v2/models/iris/infer`, irisInferenceBody(irisRows(1, 7)), 20, 2);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    await checkCli(stable, canary);
  } finally {
    sending.abort();
    await traffic;
  }
});

/** Everything asked of the CLI, once the canary's agent serves traffic. */
async function checkCli(stable: string, canary: string): Promise<void> {
  // --watch from step 1 on, as a child process (not a TTY: every change prints a whole tree).
  const watch = spawn(process.execPath, ["src/cmd/mdo.ts", "get", NAME, "-n", ns, "--kubeconfig", cluster.kubeconfigPath, "--watch"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let watched = "";
  let watchErrors = "";
  watch.stdout.setEncoding("utf8").on("data", (d: string) => { watched += d; });
  watch.stderr.setEncoding("utf8").on("data", (d: string) => { watchErrors += d; });
  const exited = new Promise<number | null>((resolve) => watch.once("exit", (code) => resolve(code)));
  try {
    await waitFor("--watch printed step 1", 30_000, () => watched.includes("step 1 of 2, weight 25%"));
    const waiting = view(await waitForMdep(cluster, ns, NAME, "waiting for a person at step 2", (md) =>
      view(md).status?.rollout?.reason === "WaitingForPromotion" && (view(md).status?.canary?.analysis?.checks?.every((c) => c.status === "pass") ?? false), 90_000));
    assert.equal(waiting.status?.canary?.weight, 50);
    await waitFor("--watch printed step 2 waiting for a person", 15_000, () => watched.includes("step 2 of 2, weight 50%") && watched.includes(`a person: mdo promote ${NAME}`));
  } finally {
    watch.kill("SIGINT");
  }
  assert.equal(await exited, 0, `mdo get --watch ends with 0 on Ctrl-C: ${watchErrors}`);
  const trees = watched.split(/^(?=Name: )/m);
  const stepOf = (tree: string): string | undefined => /step (\d) of 2/.exec(tree)?.[1];
  const firstStep2 = trees.findIndex((t) => stepOf(t) === "2");
  assert.ok(trees.findIndex((t) => stepOf(t) === "1") >= 0 && firstStep2 > 0, `a tree at step 1, then one at step 2:\n${watched}`);
  assert.ok(trees.slice(firstStep2).every((t) => stepOf(t) !== "1"), "never back to step 1");

  // The tree (through the kubectl plugin: real kubectl finds bin/kubectl-mdo on PATH).
  const env = { ...process.env, KUBECONFIG: cluster.kubeconfigPath, PATH: [join(ROOT, "bin"), process.env.PATH ?? ""].join(delimiter), NO_COLOR: "" };
  const { stdout: tree } = await run(cluster.kubectlPath, ["mdo", "get", NAME, "-n", ns], { env });
  if (process.env.MDO_TEST_SHOW_OUTPUT === "1") console.log(tree);
  assert.ok(!tree.includes("\x1b["), "no colour off a terminal");
  const actual = masked(tree, { stable, canary });
  if (UPDATE) writeFileSync(GOLDEN, actual);
  assert.ok(existsSync(GOLDEN), `${GOLDEN} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(actual, readFileSync(GOLDEN, "utf8"), "mdo get's tree changed; run with UPDATE_GOLDEN=1 if intended and review the diff");

  const json = ModelDeploymentView.parse(JSON.parse(await mdo(["get", NAME, "-n", ns, "-o", "json"])));
  assert.deepEqual(json.revisions.map((r) => [r.role, r.revision, r.modelVersion]), [["stable", stable, "v1"], ["canary", canary, "v2"]]);
  assert.deepEqual([json.rollout.step, json.rollout.weight, json.rollout.gate.kind], [1, 50, "promotion"]);
  assert.deepEqual(json.analysis.intervals[0]?.checks.map((c) => [c.name, c.status, c.threshold]), [["successRate", "pass", { min: 0.9 }], ["latencyP99", "pass", { max: 1000 }]]);
  assert.equal(json.analysis.intervals[0]?.checks[0]?.value, 1);
  assert.equal(json.drift?.features[0]?.name, "petal_length");

  const list = ModelDeploymentListView.parse(JSON.parse(await mdo(["list", "-n", ns, "-o", "json"])));
  assert.deepEqual(list.items.map((i) => [i.name, i.phase, i.stable?.modelVersion, i.canary?.modelVersion, i.canary?.weight, i.drift]), [[NAME, "Progressing", "v1", "v2", 50, true]]);
  const table = await mdo(["list", "-n", ns]);
  if (process.env.MDO_TEST_SHOW_OUTPUT === "1") console.log(table);
  assert.match(table, new RegExp(`^NAME +PHASE +STABLE +CANARY +READY +DRIFT +AGE\\n${NAME} +Progressing +v1 +v2 step 2 50% +4/4 +Drifting +\\d`));

  // On a terminal (script(1) gives it one): colour, the tree redrawn in place, ages ticking each second.
  const command = [process.execPath, "src/cmd/mdo.ts", "get", NAME, "-n", ns, "--watch"].join(" ");
  const terminal = await untilKilled(spawn("script", ["-qfec", command, "/dev/null"], { cwd: ROOT, env: { ...env, NO_COLOR: "" } }), (out) => out.split(CLEAR).length > 3);
  assert.ok(terminal.out.split(CLEAR).length > 3, `three redraws in place:\n${terminal.out}`);
  assert.ok(terminal.out.includes("\x1b[32m"), "green on a terminal");

  // -o json with --watch: one object per line; the ModelDeployment's deletion ends it with 1.
  const jsonWatch = spawn(process.execPath, ["src/cmd/mdo.ts", "get", NAME, "-n", ns, "-w", "-o", "json", "--kubeconfig", cluster.kubeconfigPath], { cwd: ROOT });
  const ended = untilKilled(jsonWatch, () => false);
  await waitFor("a JSON line from --watch -o json", 15_000, () => watchedJson(jsonWatch).includes("\n"));
  // mdo promote (the command the tree names): the annotation the operator acts on once and acknowledges.
  const promoted = await mdo(["promote", NAME, "-n", ns, "--id", "from-the-cli"]);
  assert.match(promoted, new RegExp(`^Asked ModelDeployment ${ns}/${NAME} .*\\(mdo\\.dev/promote=from-the-cli\\)`));
  await waitForMdep(cluster, ns, NAME, "the promotion acknowledged", (md) => view(md).status?.rollout?.acknowledged.promote === "from-the-cli", 30_000);
  await kubectlOk(cluster, ["delete", "mdep", NAME, "-n", ns, "--wait=false"]);
  const deleted = await ended;
  assert.equal(deleted.code, 1, deleted.err);
  assert.match(deleted.err, new RegExp(`ModelDeployment ${ns}/${NAME} was deleted`));
  const [first] = deleted.out.split("\n");
  assert.equal(ModelDeploymentView.parse(JSON.parse(first ?? "")).rollout.gate.kind, "promotion");

  const missing = await run(process.execPath, ["src/cmd/mdo.ts", "get", "nope", "-n", ns, "--kubeconfig", cluster.kubeconfigPath], { cwd: ROOT }).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => error,
  );
  assert.deepEqual([missing.code, missing.stderr.trim()], [1, `Error: ModelDeployment ${ns}/nope not found`]);
}
