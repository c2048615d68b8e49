// The model server of the agent tests is real: MLServer with its scikit-learn runtime, from
// PyPI at pinned versions (scripts/mlserver-env), serving an iris classifier trained in this
// run. It answers v2 inference with the classes the model predicted at training time, its
// readiness follows the model's load state, a killed server refuses connections at once, and
// a restarted one is ready again on the same port.
import { strict as assert } from "node:assert";
import { after, before, test } from "node:test";
import {
  irisInferenceBody, startMlserver, stopAndCheckGone, type RunningMlserver,
} from "../../support/mlserver.ts";
import { isAlive } from "../../../src/sandbox/processes.ts";

let server: RunningMlserver;

before(async () => {
  server = await startMlserver();
});

after(() => stopAndCheckGone(server));

interface V2Response {
  model_name: string;
  model_version?: string;
  outputs: { name: string; shape: number[]; datatype: string; data: number[] }[];
}

async function infer(body: unknown): Promise<{ status: number; json: V2Response }> {
  const response = await fetch(`${server.url}/v2/models/${server.modelName}/infer`, {
    method: "POST",
    // MLServer answers 422 to a body without this content type.
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json()) as V2Response };
}

test("MLServer reports its version and the model is ready after loading", async () => {
  console.log(
    `MLServer ${server.versions.mlserver} (Python ${server.versions.python}, scikit-learn ${server.versions.sklearn}, ` +
    `numpy ${server.versions.numpy}, joblib ${server.versions.joblib}) at ${server.url}, pid ${server.pid}`,
  );
  assert.equal(server.versions.mlserver, "1.7.1");
  const info = (await (await fetch(`${server.url}/v2`)).json()) as { name: string; version: string };
  assert.deepEqual(info, { name: "mlserver", version: "1.7.1", extensions: [] });
  assert.equal(await server.isReady(), true);
  assert.equal((await fetch(`${server.url}/v2/health/ready`)).status, 200);
  const metadata = (await (await fetch(`${server.url}/v2/models/${server.modelName}`)).json()) as { name: string };
  assert.equal(metadata.name, server.modelName);
});

test("v2 inference returns the classes the trained model predicts", async () => {
  const { rows, labels, predictions, probabilities } = server.expected;
  const { status, json } = await infer(irisInferenceBody(rows));
  assert.equal(status, 200);
  assert.equal(json.model_name, server.modelName);
  const predict = json.outputs.find((o) => o.name === "predict");
  assert.ok(predict, `no predict output in ${JSON.stringify(json)}`);
  assert.deepEqual(predict.shape, [rows.length, 1]);
  assert.equal(predict.datatype, "INT64");
  assert.deepEqual(predict.data, predictions);
  // The clear cases are classified as the data set labels them: one flower of each species.
  assert.deepEqual(predict.data.slice(0, 3), [0, 1, 2]);
  assert.deepEqual(labels.slice(0, 3), [0, 1, 2]);

  const proba = await infer(irisInferenceBody(rows, ["predict_proba"]));
  assert.equal(proba.status, 200);
  const out = proba.json.outputs[0]!;
  assert.equal(out.name, "predict_proba");
  assert.deepEqual(out.shape, [rows.length, 3]);
  out.data.forEach((p, i) => assert.ok(Math.abs(p - probabilities.flat()[i]!) < 1e-5, `probability ${i}: ${p}`));
});

test("readiness follows the model's load state", async () => {
  await server.unloadModel();
  assert.equal(await server.isReady(), false);
  const response = await fetch(`${server.url}/v2/models/${server.modelName}/ready`);
  assert.equal(response.status, 404);
  await server.loadModel();
  assert.equal(await server.isReady(), true);
  assert.equal((await infer(irisInferenceBody(server.expected.rows))).status, 200);
});

test("a killed server refuses requests at once; a restarted one is ready again", async () => {
  const oldPid = server.pid;
  await server.kill();
  assert.equal(isAlive(oldPid), false);
  assert.equal(server.running(), false);
  const started = performance.now();
  await assert.rejects(
    fetch(`${server.url}/v2/models/${server.modelName}/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(irisInferenceBody(server.expected.rows)),
      signal: AbortSignal.timeout(5_000),
    }),
    (error: Error) => {
      const code = (error.cause as { code?: string } | undefined)?.code;
      assert.equal(code, "ECONNREFUSED", `expected a refused connection, got ${code ?? error.message}`);
      return true;
    },
  );
  const failedAfterMs = performance.now() - started;
  console.log(`request to the killed server failed after ${failedAfterMs.toFixed(1)} ms`);
  assert.ok(failedAfterMs < 1_000, `took ${failedAfterMs} ms to fail`);
  assert.equal(await server.isReady(), false);

  const restartStarted = performance.now();
  await server.restart();
  console.log(`restarted (pid ${server.pid}) and ready in ${((performance.now() - restartStarted) / 1000).toFixed(1)} s`);
  assert.notEqual(server.pid, oldPid);
  assert.equal(await server.isReady(), true);
  const { status, json } = await infer(irisInferenceBody(server.expected.rows));
  assert.equal(status, 200);
  assert.deepEqual(json.outputs[0]?.data, server.expected.predictions);
});

test("restart() of a running server stops it gracefully and serves again on the same port", async () => {
  const { port, pid } = server;
  await server.restart();
  assert.equal(isAlive(pid), false);
  assert.equal(server.port, port);
  assert.equal(await server.isReady(), true);
});
