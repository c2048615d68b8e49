// startMlserver({ latencyMs }) serves the trained iris model through the custom runtime
// test/support/slow_sklearn.py: every inference takes at least latencyMs, answers stay the
// model's own predictions, and the wait is an asyncio.sleep on MLServer's event loop
// (parallel_workers 0), so concurrent requests overlap instead of queueing: the load that
// autoscaling tests need, many requests in flight, at little CPU.
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  irisInferenceBody, startMlserver, stopAndCheckGone, type RunningMlserver,
} from "../../support/mlserver.ts";

const LATENCY_MS = 200;
const CONCURRENT = 20;
/** Far below CONCURRENT × LATENCY_MS (4 s, the time if requests were served one at a time). */
const OVERLAP_BOUND_MS = 1_500;

let server: RunningMlserver;

before(async () => {
  server = await startMlserver({ latencyMs: LATENCY_MS });
});

after(() => stopAndCheckGone(server));

interface V2Response {
  model_name: string;
  outputs: { name: string; shape: number[]; datatype: string; data: number[] }[];
}

async function timedInfer(body: unknown): Promise<{ status: number; json: V2Response; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${server.url}/v2/models/${server.modelName}/infer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await response.json()) as V2Response;
  return { status: response.status, json, ms: performance.now() - started };
}

test("the model is served by the slow runtime with the configured latency", async () => {
  const settings = JSON.parse(await readFile(join(server.dir, server.modelName, "model-settings.json"), "utf8")) as {
    implementation: string; parameters: { extra?: { latency_ms?: number } };
  };
  assert.equal(settings.implementation, "slow_sklearn.SlowSKLearnModel");
  assert.equal(settings.parameters.extra?.latency_ms, LATENCY_MS);
  assert.equal(await server.isReady(), true);
});

test(`${CONCURRENT} concurrent inferences each take >= ${LATENCY_MS} ms, answer the model's predictions, and overlap`, async () => {
  const { rows, predictions, probabilities } = server.expected;
  // Warm up (first-request costs such as codec imports are not the runtime's sleep).
  const warm = await timedInfer(irisInferenceBody(rows));
  assert.equal(warm.status, 200);
  assert.ok(warm.ms >= LATENCY_MS, `a single inference took ${warm.ms.toFixed(1)} ms`);

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, () => timedInfer(irisInferenceBody(rows))),
  );
  const wallMs = performance.now() - started;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  console.log(
    `${CONCURRENT} concurrent requests at ${LATENCY_MS} ms: all done in ${wallMs.toFixed(0)} ms ` +
    `(serial would be ${CONCURRENT * LATENCY_MS} ms); per request min ${times[0]!.toFixed(0)}, ` +
    `median ${times[Math.floor(times.length / 2)]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)} ms; ` +
    `single warm-up ${warm.ms.toFixed(0)} ms`,
  );
  for (const [i, r] of results.entries()) {
    assert.equal(r.status, 200, `request ${i}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
    assert.equal(r.json.model_name, server.modelName);
    const predict = r.json.outputs.find((o) => o.name === "predict");
    assert.ok(predict, `request ${i}: no predict output in ${JSON.stringify(r.json)}`);
    assert.deepEqual(predict.shape, [rows.length, 1]);
    assert.deepEqual(predict.data, predictions, `request ${i}`);
    assert.ok(r.ms >= LATENCY_MS, `request ${i} took ${r.ms.toFixed(1)} ms, less than ${LATENCY_MS}`);
  }
  assert.ok(wallMs < OVERLAP_BOUND_MS, `${CONCURRENT} requests took ${wallMs.toFixed(0)} ms: they did not overlap`);

  // The other outputs of the scikit-learn runtime are unchanged too.
  const proba = await timedInfer(irisInferenceBody(rows, ["predict_proba"]));
  assert.equal(proba.status, 200);
  assert.ok(proba.ms >= LATENCY_MS);
  const out = proba.json.outputs[0]!;
  assert.equal(out.name, "predict_proba");
  out.data.forEach((p, i) => assert.ok(Math.abs(p - probabilities.flat()[i]!) < 1e-5, `probability ${i}: ${p}`));
});
