// The BatchPrediction controller against the real control plane: admission (schema + CEL), the
// Indexed Job and CronJob it makes, status that follows the Job (kwok runs the pods to
// completion), suspend, a ModelDeployment reference, schedule and clean-up on deletion.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import { createNamespace, kubectlOk, sharedCluster, waitFor, type TestCluster } from "../../support/cluster.ts";
import { condition, minimalMdep, waitForMdep } from "../../support/mdep.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

let cluster: TestCluster;
let ns: string;
let operator: TestOperator;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "batch-ctl");
  operator = await startTestOperator(cluster, ns);
});
after(async () => {
  await operator.stop();
});

interface BpView {
  metadata: { name: string; generation: number };
  status?: {
    observedGeneration?: number; phase?: string; job?: string; model?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    shards?: { total: number; succeeded: number; failed: number; active: number };
    rows?: { total: number; succeeded: number; failed: number };
    history?: { job: string; outcome: string }[];
    lastScheduleTime?: string; lastFailure?: { reason: string; message: string };
  };
}

function bp(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction", metadata: { name, namespace: ns },
    spec: { input: { uri: "s3://data/in/" }, output: { uri: `s3://data/out/${name}/` }, ...spec },
  });
}
const inlineModel = { model: { uri: "s3://models/iris/v1/", format: "sklearn", version: "v1" } };

async function getBp(name: string): Promise<BpView> {
  return JSON.parse(await kubectlOk(cluster, ["get", "batchprediction", name, "-n", ns, "-o", "json"])) as BpView;
}

async function waitForBp(name: string, what: string, check: (b: BpView) => boolean, timeoutMs = 60_000): Promise<BpView> {
  let last: BpView | undefined;
  try {
    await waitFor(`${name}: ${what}`, timeoutMs, async () => check(last = await getBp(name)));
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last?.status)}`, { cause: error });
  }
  return last!;
}

interface JobView { metadata: { name: string; ownerReferences: { kind: string; name: string }[] }; spec: Record<string, unknown> & { template: { spec: { initContainers: { name: string; image: string; restartPolicy?: string }[]; containers: { name: string; args: string[] }[] } } } }

async function jobJson(name: string): Promise<JobView> {
  return JSON.parse(await kubectlOk(cluster, ["get", "job", name, "-n", ns, "-o", "json"])) as JobView;
}

async function kubectlFails(args: string[], input: string): Promise<string> {
  try {
    await kubectlOk(cluster, args, input);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`kubectl ${args.join(" ")} was expected to fail`);
}

test("admission rejects a BatchPrediction that could never run, with the rule's message", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...inlineModel, modelDeploymentRef: { name: "iris" } }, /set exactly one of spec.modelDeploymentRef/],
    [{}, /set exactly one of spec.modelDeploymentRef/],
    [{ ...inlineModel, output: { uri: "s3://data/out" } }, /ending in \//],
    [{ ...inlineModel, input: { uri: "http://data/in.jsonl" } }, /must be s3:\/\/<bucket>\/<key>/],
    [{ ...inlineModel, timeZone: "Europe/Paris" }, /spec.timeZone needs spec.schedule/],
    [{ ...inlineModel, maxFailedRows: "1.5" }, /ratio/],
    [{ ...inlineModel, output: { uri: "s3://data/in/out/" } }, /must not be under the input prefix/],
    [{ modelDeploymentRef: { name: "iris" }, resources: { requests: { cpu: 1 } } }, /come from the ModelDeployment/],
    [{ ...inlineModel, schedule: "every day" }, /schedule/],
  ];
  for (const [spec, message] of cases) {
    assert.match(await kubectlFails(["apply", "--dry-run=server", "-f", "-"], bp("bad", spec)), message, JSON.stringify(spec));
  }
  await kubectlOk(cluster, ["apply", "--dry-run=server", "-f", "-"], bp("good", { ...inlineModel, maxFailedRows: "0.01", schedule: "@daily", timeZone: "Europe/Paris" }));
});

test("a single run: an Indexed Job as specified; status follows it to Succeeded; suspend holds it", async () => {
  await kubectlOk(cluster, ["apply", "-f", "-"], bp("once", { ...inlineModel, parallelism: 3, retries: 1, suspend: true }));
  const suspended = await waitForBp("once", "Suspended with its Job", (b) => b.status?.phase === "Suspended" && b.status.job !== undefined);
  const job = await jobJson(suspended.status!.job!);
  assert.equal(job.spec.suspend, true);
  assert.equal(job.spec.completionMode, "Indexed");
  assert.equal(job.spec.completions, 3);
  assert.equal(job.spec.backoffLimitPerIndex, 1);
  assert.deepEqual(job.metadata.ownerReferences.map((o) => `${o.kind}/${o.name}`), ["BatchPrediction/once"]);
  assert.deepEqual(job.spec.template.spec.initContainers.map((c) => [c.name, c.restartPolicy ?? ""]), [["model-fetcher", ""], ["model-server", "Always"]]);
  assert.equal(job.spec.template.spec.containers[0]?.name, "worker");
  assert.equal(await kubectlOk(cluster, ["get", "pods", "-n", ns, "-l", "mdo.dev/batch-prediction=once", "-o", "name"]), "", "no pod while suspended");

  await kubectlOk(cluster, ["patch", "batchprediction", "once", "-n", ns, "--type=merge", "-p", '{"spec":{"suspend":false}}']);
  const done = await waitForBp("once", "Succeeded", (b) => b.status?.phase === "Succeeded", 90_000);
  assert.deepEqual(done.status?.shards, { total: 3, succeeded: 3, failed: 0, active: 0 });
  assert.equal(done.status?.job, suspended.status?.job, "the same Job ran: suspend is not a new run");
  assert.deepEqual(done.status?.history?.map((h) => [h.job, h.outcome]), [[done.status?.job, "Succeeded"]]);
  assert.equal(done.status?.conditions?.find((c) => c.type === "Ready")?.status, "True");
  assert.match(done.status?.model ?? "", /s3:\/\/models\/iris\/v1\/ \(v1\)/);
  const events = await kubectlOk(cluster, ["get", "events.events.k8s.io", "-n", ns, "--field-selector", "regarding.name=once", "-o", "jsonpath={.items[*].reason}"]);
  assert.match(events, /RunStarted/);
  assert.match(events, /RunSucceeded/);
  const columns = await kubectlOk(cluster, ["get", "bp", "once", "-n", ns]);
  assert.match(columns, /PHASE\s+SHARDS\s+ROWS\s+FAILED/);
  assert.match(columns, /Succeeded\s+3\s+0\s+0/);
});

test("a ModelDeployment reference waits for a stable revision, then scores with its server", async () => {
  await kubectlOk(cluster, ["apply", "-f", "-"], bp("by-ref", { modelDeploymentRef: { name: "scorer" } }));
  const waiting = await waitForBp("by-ref", "waiting for the ModelDeployment", (b) => b.status?.conditions?.some((c) => c.type === "Reconciling" && c.reason === "ModelDeploymentNotFound") === true);
  assert.equal(waiting.status?.phase, "Pending");
  assert.equal(waiting.status?.conditions?.find((c) => c.type === "Stalled")?.status, "False", "time may fix it: not Stalled");
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("scorer", ns, { image: "registry.example/scorer:7" }));
  const md = await waitForMdep(cluster, ns, "scorer", "Ready", (m) => condition(m, "Ready")?.status === "True");
  const running = await waitForBp("by-ref", "a run of the stable revision", (b) => b.status?.job !== undefined, 60_000);
  assert.equal(running.status?.model, `ModelDeployment scorer revision ${md.status?.stable?.revision} (v1)`);
  const job = await jobJson(running.status.job!);
  assert.equal(job.spec.template.spec.initContainers.find((c) => c.name === "model-server")?.image, "registry.example/scorer:7");
  assert.ok(job.spec.template.spec.containers[0]?.args.includes("--model-name=scorer"));
  await waitForBp("by-ref", "Succeeded", (b) => b.status?.phase === "Succeeded", 90_000);
});

test("a schedule that references a ModelDeployment follows its stable revision, with no event of its own", async () => {
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("ranker", ns, { image: "registry.example/ranker:1" }));
  const first = await waitForMdep(cluster, ns, "ranker", "Ready", (m) => condition(m, "Ready")?.status === "True");
  // Never due during the test: only the ModelDeployment's changes can change the CronJob.
  await kubectlOk(cluster, ["apply", "-f", "-"], bp("yearly", { modelDeploymentRef: { name: "ranker" }, schedule: "0 0 1 1 *" }));
  const serverImage = async (): Promise<string> => kubectlOk(cluster, ["get", "cronjob", "yearly", "-n", ns, "-o",
    "jsonpath={.spec.jobTemplate.spec.template.spec.initContainers[?(@.name=='model-server')].image}"]).catch(() => "");
  await waitFor("the CronJob with the first revision's server", 30_000, async () => (await serverImage()) === "registry.example/ranker:1");
  await kubectlOk(cluster, ["apply", "-f", "-"], minimalMdep("ranker", ns, { image: "registry.example/ranker:2", version: "v2" }));
  const second = await waitForMdep(cluster, ns, "ranker", "the new revision stable", (m) => m.status?.stable?.revision !== undefined && m.status.stable.revision !== first.status?.stable?.revision, 90_000);
  await waitFor(`the CronJob with revision ${second.status?.stable?.revision ?? ""}'s server`, 30_000, async () => (await serverImage()) === "registry.example/ranker:2");
  assert.equal((await waitForBp("yearly", "Scheduled", (b) => b.status?.phase === "Scheduled")).status?.phase, "Scheduled");
});

test("a schedule: a CronJob with Forbid whose runs enter the history; removing the BatchPrediction removes them", async () => {
  await kubectlOk(cluster, ["apply", "-f", "-"], bp("nightly", { ...inlineModel, schedule: "* * * * *", historyLimit: 2 }));
  const scheduled = await waitForBp("nightly", "Scheduled", (b) => b.status?.phase === "Scheduled");
  assert.equal(scheduled.status?.conditions?.find((c) => c.type === "Ready")?.status, "True");
  const cron = JSON.parse(await kubectlOk(cluster, ["get", "cronjob", "nightly", "-n", ns, "-o", "json"])) as { spec: { concurrencyPolicy: string; schedule: string; successfulJobsHistoryLimit: number; jobTemplate: { spec: { completionMode: string } } } };
  assert.equal(cron.spec.concurrencyPolicy, "Forbid");
  assert.equal(cron.spec.schedule, "* * * * *");
  assert.equal(cron.spec.successfulJobsHistoryLimit, 2);
  assert.equal(cron.spec.jobTemplate.spec.completionMode, "Indexed");
  // The CronJob controller starts a run at the next minute; kwok completes its pods.
  const ran = await waitForBp("nightly", "a scheduled run in the history", (b) => (b.status?.history?.length ?? 0) >= 1 && b.status?.lastScheduleTime !== undefined, 100_000);
  assert.equal(ran.status?.history?.[0]?.outcome, "Succeeded");
  assert.match(ran.status?.history?.[0]?.job ?? "", /^nightly-\d+$/);

  await kubectlOk(cluster, ["patch", "batchprediction", "nightly", "-n", ns, "--type=merge", "-p", '{"spec":{"suspend":true}}']);
  await waitFor("the CronJob suspended", 30_000, async () => (await kubectlOk(cluster, ["get", "cronjob", "nightly", "-n", ns, "-o", "jsonpath={.spec.suspend}"])) === "true");

  await kubectlOk(cluster, ["delete", "batchprediction", "nightly", "once", "-n", ns, "--wait=true"]);
  await waitFor("Jobs and CronJob garbage-collected", 60_000, async () =>
    (await kubectlOk(cluster, ["get", "cronjobs,jobs", "-n", ns, "-l", "mdo.dev/batch-prediction in (nightly,once)", "-o", "name"])).trim() === "");
});

test("the examples in examples/batch are admitted; the single run becomes Succeeded", async () => {
  // The Secrets they name, with placeholders: kwok runs no pod that would read them.
  for (const name of ["warehouse", "model-store"]) {
    await kubectlOk(cluster, ["create", "secret", "generic", name, "-n", ns, "--from-literal=AWS_ACCESS_KEY_ID=placeholder"]);
  }
  for (const file of ["backfill.yaml", "nightly-scoring.yaml"]) await kubectlOk(cluster, ["apply", "-n", ns, "-f", `examples/batch/${file}`]);
  await waitForBp("churn-backfill", "Succeeded", (b) => b.status?.phase === "Succeeded", 90_000);
  const nightly = await waitForBp("fraud-nightly", "waiting for its ModelDeployment", (b) => b.status?.phase === "Pending");
  assert.match(nightly.status?.conditions?.find((c) => c.type === "Reconciling")?.message ?? "", /fraud-detector/);
});
