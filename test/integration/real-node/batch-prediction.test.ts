// One BatchPrediction end to end on the real node: the operator's Indexed Job runs two worker
// pods in a restricted namespace, each with MLServer as a native sidecar serving a model trained
// here (slowed to 100 ms per call, so a run lasts long enough to be interrupted) and `mdo batch run`
// reading JSON Lines from a real S3 server (moto, signing enforced, credentials from a Secret) and
// writing predictions back. One worker pod is deleted mid-run: the Job runs its shard again, and
// the output still holds every good row exactly once with the model's own prediction; the
// status counts what the shards' termination summaries said, malformed rows included. Shards
// that cannot succeed (a model name the server does not serve; more failed rows than
// maxFailedRows) fail without a retry, with the shard's reason in status.
import { strict as assert } from "node:assert";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { after, before, test } from "node:test";
import { REAL_NODE_IP } from "../../../src/sandbox/addresses.ts";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { podsOf, realNodePlacement, useRealModel } from "../../support/real-node.ts";
import { startS3, type RunningS3 } from "../../support/storage/s3.ts";

const NAME = "batch-iris";
const REPEAT = 600;
const fx = useRealModel("real-batch", NAME, { restricted: true, latencyMs: 100 });
let s3: RunningS3;
let client: S3Client;

before(async () => {
  s3 = await startS3({ host: REAL_NODE_IP });
  client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
});
after(async () => {
  client?.destroy();
  await s3?.stop();
});

interface BpView {
  status?: {
    phase?: string; job?: string;
    shards?: { total: number; succeeded: number; failed: number; active: number };
    rows?: { total: number; succeeded: number; failed: number };
    shardResults?: { index: number; status: string; rows: number; failed: number; manifest?: string }[];
    lastFailure?: { reason: string; message: string };
  };
}

async function getText(bucket: string, key: string): Promise<string> {
  return (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
}
const jsonLines = (text: string): Record<string, unknown>[] => text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

test("a BatchPrediction runs on the real node: two shards, one worker killed and retried, every row predicted once", async () => {
  const { rows, predictions } = fx.model.expected;
  // The reference rows, REPEAT times, with two malformed rows among them (rows 7 and 1000).
  const lines: string[] = [];
  const expected = new Map<number, number>();
  for (let r = 0; r < rows.length * REPEAT; r++) {
    if (r === 7) lines.push("{not json");
    else if (r === 1000) lines.push("[1, 2]");
    else {
      const features = Object.fromEntries(rows[r % rows.length]!.map((x, i) => [`x${i}`, x]));
      lines.push(JSON.stringify({ id: `r${r}`, ...features }));
      expected.set(r, predictions[r % rows.length]!);
    }
  }
  await s3.createBucket("batch-in");
  await s3.createBucket("batch-out");
  await s3.putObject("batch-in", "rows/part-0.jsonl", Buffer.from(`${lines.join("\n")}\n`));
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify({
    apiVersion: "v1", kind: "Secret", metadata: { name: "batch-s3", namespace: fx.ns }, type: "Opaque",
    stringData: { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL: s3.endpoint },
  }));

  const placement = await realNodePlacement(fx.cluster);
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction", metadata: { name: NAME, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version: "v1" },
      input: { uri: "s3://batch-in/rows/", idField: "id" }, output: { uri: "s3://batch-out/run/" },
      storageSecretRef: { name: "batch-s3" },
      parallelism: 2, batchSize: 10, concurrency: 1, maxFailedRows: 5, retries: 2,
      nodeSelector: placement.nodeSelector, tolerations: placement.tolerations, resources: placement.resources,
    },
  }));

  // Shard 1's worker is deleted a few seconds into its predictions.
  const started = Date.now();
  let victim: { name: string; uid: string } | undefined;
  await waitFor("shard 1's worker running", 180_000, async () => {
    const pod = (await podsOf(fx.cluster, fx.ns, `mdo.dev/batch-prediction=${NAME},batch.kubernetes.io/job-completion-index=1`))
      .find((p) => p.status.containerStatuses?.some((c) => c.name === "worker" && c.state?.running !== undefined));
    if (pod !== undefined) victim = { name: pod.metadata.name, uid: (pod.metadata as { uid?: string }).uid ?? "" };
    return pod !== undefined;
  });
  console.log(`[real-node] batch: worker ${victim!.name} running ${((Date.now() - started) / 1000).toFixed(1)} s after apply`);
  const timeline = JSON.parse(await kubectlOk(fx.cluster, ["get", "pod", victim!.name, "-n", fx.ns, "-o", "json"])) as { metadata: { creationTimestamp: string }; status: { startTime?: string; conditions?: { type: string; lastTransitionTime: string }[]; initContainerStatuses?: { name: string; state?: { running?: { startedAt: string } } }[]; containerStatuses?: { name: string; state?: { running?: { startedAt: string } } }[] } };
  console.log(`[real-node] batch: pod created ${timeline.metadata.creationTimestamp}, scheduled ${timeline.status.conditions?.find((c) => c.type === "PodScheduled")?.lastTransitionTime}, sidecar started ${timeline.status.initContainerStatuses?.[0]?.state?.running?.startedAt}, worker started ${timeline.status.containerStatuses?.[0]?.state?.running?.startedAt}`);
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  await kubectlOk(fx.cluster, ["delete", "pod", victim!.name, "-n", fx.ns, "--wait=false"]);

  let view: BpView = {};
  await waitFor("Succeeded", 300_000, async () => {
    view = JSON.parse(await kubectlOk(fx.cluster, ["get", "batchprediction", NAME, "-n", fx.ns, "-o", "json"])) as BpView;
    if (view.status?.phase === "Failed") throw new Error(`the run failed: ${JSON.stringify(view.status)}`);
    return view.status?.phase === "Succeeded";
  });
  console.log(`[real-node] batch: ${lines.length} rows in 2 shards Succeeded ${((Date.now() - started) / 1000).toFixed(1)} s after apply: ${JSON.stringify(view.status?.rows)}`);
  const job = JSON.parse(await kubectlOk(fx.cluster, ["get", "job", view.status!.job!, "-n", fx.ns, "-o", "json"])) as { status: { failed?: number; succeeded?: number } };
  assert.ok((job.status.failed ?? 0) >= 1, `the killed worker's pod failed and its shard ran again: ${JSON.stringify(job.status)}`);
  const index1 = await podsOf(fx.cluster, fx.ns, `mdo.dev/batch-prediction=${NAME},batch.kubernetes.io/job-completion-index=1`);
  assert.ok(index1.some((p) => (p.metadata as { uid?: string }).uid !== victim!.uid && p.status.phase === "Succeeded"), "a new pod finished shard 1");

  assert.deepEqual(view.status?.rows, { total: lines.length, succeeded: lines.length - 2, failed: 2 });
  assert.deepEqual(view.status?.shards, { total: 2, succeeded: 2, failed: 0, active: 0 });
  assert.deepEqual(view.status?.shardResults?.map((r) => r.manifest), ["s3://batch-out/run/manifest-0.json", "s3://batch-out/run/manifest-1.json"]);

  const listed = await client.send(new ListObjectsV2Command({ Bucket: "batch-out", Prefix: "run/" }));
  assert.deepEqual(listed.Contents?.map((o) => o.Key).sort(), ["errors-0.jsonl", "errors-1.jsonl", "manifest-0.json", "manifest-1.json", "part-0.jsonl", "part-1.jsonl"].map((k) => `run/${k}`));
  const seen = new Map<number, unknown>();
  for (const shard of [0, 1]) {
    for (const line of jsonLines(await getText("batch-out", `run/part-${shard}.jsonl`))) {
      const row = line.row as number;
      assert.ok(!seen.has(row), `row ${row} appears once`);
      assert.equal(row % 2, shard, `row ${row} is shard ${shard}'s`);
      assert.equal(line.id, `r${row}`);
      seen.set(row, line.prediction);
    }
  }
  assert.equal(seen.size, expected.size, "every good row has a prediction");
  for (const [row, prediction] of expected) assert.equal(seen.get(row), prediction, `row ${row}: the model's own prediction`);
  const failedRows = (await Promise.all([0, 1].map(async (s) => jsonLines(await getText("batch-out", `run/errors-${s}.jsonl`)).map((l) => l.row as number)))).flat();
  assert.deepEqual(failedRows.sort((a, b) => a - b), [7, 1000]);
});

/** A BatchPrediction `name` scoring the trained model from the claim into `output`, with `spec` on top. */
async function applyBatch(name: string, output: string, spec: Record<string, unknown>): Promise<void> {
  const placement = await realNodePlacement(fx.cluster);
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction", metadata: { name, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version: "v1" },
      input: { uri: "s3://batch-in/rows/", idField: "id" }, output: { uri: output },
      storageSecretRef: { name: "batch-s3" }, parallelism: 1, batchSize: 200, retries: 2,
      nodeSelector: placement.nodeSelector, tolerations: placement.tolerations, resources: placement.resources, ...spec,
    },
  }));
}

async function waitForFailed(name: string): Promise<BpView> {
  let view: BpView = {};
  try {
    await waitFor(`${name} Failed`, 180_000, async () => {
      view = JSON.parse(await kubectlOk(fx.cluster, ["get", "batchprediction", name, "-n", fx.ns, "-o", "json"])) as BpView;
      return view.status?.phase === "Failed";
    });
  } catch (error) {
    const pods = await kubectlOk(fx.cluster, ["get", "pods", "-n", fx.ns, "-l", `mdo.dev/batch-prediction=${name}`, "-o", "jsonpath={.items[*].status.containerStatuses}"]);
    throw new Error(`${(error as Error).message}; status ${JSON.stringify(view.status)}; pods ${pods}`, { cause: error });
  }
  return view;
}

test("a shard that cannot succeed is not retried: a model that names itself otherwise, and a run over maxFailedRows", async () => {
  // The claim's model ships its own model-settings.json, which names it batch-iris: a
  // BatchPrediction of another name finds no such model on the ready server and fails at once.
  await applyBatch("misnamed", "s3://batch-out/misnamed/", {});
  const misnamed = await waitForFailed("misnamed");
  assert.match(misnamed.status?.lastFailure?.message ?? "", /serves no model named misnamed/, JSON.stringify(misnamed.status?.lastFailure));
  assert.equal((await podsOf(fx.cluster, fx.ns, "mdo.dev/batch-prediction=misnamed")).length, 1, "exit 2 is not retried");

  // The same input (rows 7 and 1000 malformed) with room for one failed row: the worker stops at
  // the second and exits 3, which the Job's podFailurePolicy does not retry either. (Named
  // batch-iris again, after the first test's BatchPrediction, for the model's name.)
  await kubectlOk(fx.cluster, ["delete", "batchprediction", NAME, "-n", fx.ns, "--wait=true"]);
  await applyBatch(NAME, "s3://batch-out/over/", { maxFailedRows: 1 });
  const view = await waitForFailed(NAME);
  assert.match(view.status?.lastFailure?.message ?? "", /shard 0: 2 rows failed, more than --max-failed-rows 1/, JSON.stringify(view.status?.lastFailure));
  assert.deepEqual(view.status?.shardResults?.map((r) => [r.index, r.status, r.failed]), [[0, "failed", 2]]);
  const pods = (await podsOf(fx.cluster, fx.ns, `batch.kubernetes.io/job-name=${view.status?.job ?? ""}`));
  assert.equal(pods.length, 1, "a shard over the budget is not run again");
  const manifest = JSON.parse(await getText("batch-out", "over/manifest-0.json")) as { status: string; rowsFailed: number };
  assert.deepEqual([manifest.status, manifest.rowsFailed], ["failed", 2]);
});
