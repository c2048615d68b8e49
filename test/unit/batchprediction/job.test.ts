// The run's Indexed Job and the schedule's CronJob, built from a BatchPrediction.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { RuntimeCatalog } from "../../../src/catalog/catalog.ts";
import { buildCronJob, buildRunJob, runJobName } from "../../../src/controllers/batchprediction/job.ts";
import { inlineServingParts, stableServingParts } from "../../../src/controllers/batchprediction/serving-parts.ts";
import { BatchProblemError } from "../../../src/controllers/batchprediction/problems.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { batchPrediction } from "./fixtures.ts";

const catalog = RuntimeCatalog.builtin();

test("a single run: an Indexed Job of spec.parallelism shards, per-index retries, permanent exit codes fail the index", () => {
  const bp = batchPrediction({ parallelism: 4, retries: 3, maxFailedRows: "0.01", timeouts: { run: "2h", request: "30s", modelLoad: "5m" }, storageSecretRef: { name: "data-creds" } });
  const job = buildRunJob(bp, inlineServingParts(bp, catalog, DEFAULT_SETTINGS), DEFAULT_SETTINGS);
  assert.equal(job.metadata?.name, runJobName(bp));
  assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction", name: "nightly", uid: "uid-1", controller: true, blockOwnerDeletion: true }]);
  const spec = job.spec!;
  assert.equal(spec.completionMode, "Indexed");
  assert.equal(spec.completions, 4);
  assert.equal(spec.parallelism, 4);
  assert.equal(spec.backoffLimitPerIndex, 3);
  assert.equal(spec.maxFailedIndexes, 0);
  assert.equal(spec.activeDeadlineSeconds, 7200);
  assert.equal(spec.suspend, false);
  assert.deepEqual(spec.podFailurePolicy?.rules[0], { action: "FailIndex", onExitCodes: { containerName: "worker", operator: "In", values: [2, 3] } });
  const pod = spec.template.spec!;
  assert.equal(pod.restartPolicy, "Never");
  assert.equal(pod.automountServiceAccountToken, false);
  // The model is fetched first, then the server runs beside the worker as a native sidecar.
  assert.deepEqual(pod.initContainers?.map((c) => [c.name, c.restartPolicy]), [["model-fetcher", undefined], ["model-server", "Always"]]);
  assert.equal(pod.initContainers?.[1]?.lifecycle, undefined, "no preStop drain: nothing routes to a batch pod");
  const worker = pod.containers[0]!;
  assert.equal(worker.name, "worker");
  assert.deepEqual(worker.args?.slice(0, 6), ["batch", "run", "--input=s3://data/in/", "--output=s3://data/out/", "--model-url=http://127.0.0.1:8081", "--model-name=nightly"]);
  for (const flag of ["--shard-count=4", "--timeout=30", "--model-ready-timeout=300", "--max-failed-rows=0.01", "--credentials-dir=/var/run/mdo/batch-storage-secret"]) assert.ok(worker.args?.includes(flag), flag);
  assert.ok(!worker.args?.some((a) => a.startsWith("--shard-index")), "the shard is the pod's JOB_COMPLETION_INDEX");
  assert.ok(!worker.args?.some((a) => a.startsWith("--output-format")), "the worker's default: JSON Lines");
  const csv = buildRunJob(batchPrediction({ output: { uri: "s3://data/out/", format: "csv" } }), inlineServingParts(bp, catalog, DEFAULT_SETTINGS), DEFAULT_SETTINGS);
  assert.ok(csv.spec?.template.spec?.containers[0]?.args?.includes("--output-format=csv"));
  // Restricted Pod Security for every container; the batch Secret only in the worker.
  for (const c of [...pod.initContainers, ...pod.containers]) {
    assert.equal(c.securityContext?.allowPrivilegeEscalation, false, c.name);
    assert.deepEqual(c.securityContext?.capabilities, { drop: ["ALL"] }, c.name);
  }
  assert.equal(pod.securityContext?.runAsNonRoot, true);
  assert.ok(pod.volumes?.some((v) => v.secret?.secretName === "data-creds"));
  assert.deepEqual([...pod.initContainers].flatMap((c) => c.volumeMounts ?? []).filter((m) => m.name === "batch-storage-secret"), []);
});

test("the run's Job name changes with the spec but not with suspend or historyLimit", () => {
  const a = batchPrediction();
  assert.equal(runJobName(a), runJobName(batchPrediction({ suspend: true, historyLimit: 9 })));
  assert.notEqual(runJobName(a), runJobName(batchPrediction({ batchSize: 128 })));
  assert.ok(runJobName(a).length <= 63);
});

test("a schedule: a CronJob that never runs two at once, with the same Job template", () => {
  const bp = batchPrediction({ schedule: "0 2 * * *", timeZone: "Europe/Paris", historyLimit: 3, suspend: true });
  const parts = inlineServingParts(bp, catalog, DEFAULT_SETTINGS);
  const cron = buildCronJob(bp, parts, DEFAULT_SETTINGS);
  assert.equal(cron.metadata?.name, "nightly");
  assert.equal(cron.spec?.schedule, "0 2 * * *");
  assert.equal(cron.spec?.timeZone, "Europe/Paris");
  assert.equal(cron.spec?.concurrencyPolicy, "Forbid");
  assert.equal(cron.spec?.suspend, true);
  assert.equal(cron.spec?.successfulJobsHistoryLimit, 3);
  assert.equal(cron.spec?.jobTemplate.spec?.completionMode, "Indexed");
  assert.equal(cron.spec?.jobTemplate.metadata?.labels?.["mdo.dev/batch-prediction"], "nightly");
});

test("a ModelDeployment's stable revision: its fetcher and server, without the agent", () => {
  const deployment = {
    metadata: { name: "iris-abc" },
    spec: {
      selector: {},
      template: {
        spec: {
          securityContext: { runAsUser: 1000 },
          tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
          initContainers: [{ name: "model-fetcher", image: "mdo", volumeMounts: [{ name: "model", mountPath: "/mnt/models" }, { name: "storage-secret", mountPath: "/s" }] }],
          containers: [
            { name: "model-server", image: "mlserver", env: [{ name: "MDO_MODEL_NAME", value: "iris" }, { name: "MDO_HTTP_PORT", value: "8081" }], volumeMounts: [{ name: "model", mountPath: "/mnt/models" }, { name: "scratch-0", mountPath: "/tmp" }] },
            { name: "agent", image: "mdo", volumeMounts: [{ name: "agent-config", mountPath: "/etc/mdo/agent" }] },
          ],
          volumes: [{ name: "model", emptyDir: {} }, { name: "storage-secret", secret: { secretName: "s" } }, { name: "scratch-0", emptyDir: {} }, { name: "agent-config", configMap: { name: "c" } }],
        },
      },
    },
  };
  const parts = stableServingParts("iris", "abc", "v7", deployment);
  assert.equal(parts.modelName, "iris");
  assert.equal(parts.port, 8081);
  assert.deepEqual(parts.volumes.map((v) => v.name), ["model", "storage-secret", "scratch-0"]);
  assert.deepEqual(parts.initContainers.map((c) => c.name), ["model-fetcher"]);
  assert.equal(parts.description, "ModelDeployment iris revision abc (v7)");
  const job = buildRunJob(batchPrediction({ model: undefined, modelDeploymentRef: { name: "iris" } }), parts, DEFAULT_SETTINGS);
  assert.deepEqual(job.spec?.template.spec?.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
  assert.throws(() => stableServingParts("iris", "abc", undefined, { spec: { selector: {}, template: { spec: { containers: [] } } } }), BatchProblemError);

  // A ModelDeployment that monitors drift: its baseline ConfigMap reaches the worker, its test the Job.
  deployment.spec.template.spec.volumes.push({ name: "drift-baseline", configMap: { name: "iris-baseline" } });
  const test = { falseAlarmRate: 0.01, minWindow: 1000, minPsi: 0 };
  const withDrift = buildRunJob(batchPrediction({ model: undefined, modelDeploymentRef: { name: "iris" } }), stableServingParts("iris", "abc", "v7", deployment, test), DEFAULT_SETTINGS);
  const worker = withDrift.spec?.template.spec?.containers[0];
  assert.ok(worker?.args?.includes("--drift-baseline=/etc/mdo/baseline/baseline.json"));
  assert.deepEqual(worker?.volumeMounts?.find((m) => m.name === "drift-baseline"), { name: "drift-baseline", mountPath: "/etc/mdo/baseline", readOnly: true });
  assert.equal(withDrift.metadata?.annotations?.["mdo.dev/drift-test"], JSON.stringify(test));
  assert.equal(job.metadata?.annotations?.["mdo.dev/drift-test"], undefined, "no test without spec.monitoring.drift");
});

test("an inline model the catalog cannot serve is a problem with the catalog's reason", () => {
  const bp = batchPrediction({ model: { uri: "s3://m/x/", format: "custom" }, image: "registry.example/server:1" });
  assert.equal(inlineServingParts(bp, catalog, DEFAULT_SETTINGS).modelServer.image, "registry.example/server:1");
  const tf = batchPrediction({ model: { uri: "s3://m/x/", format: "tensorflow" } });
  assert.throws(() => inlineServingParts(tf, catalog, DEFAULT_SETTINGS), (e: unknown) => e instanceof BatchProblemError && e.reason === "UnsupportedProtocol");
});
