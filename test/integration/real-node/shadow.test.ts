// A shadow phase on real pods: MLServer serves the iris model (stable) and a genuinely different
// one (retrained with strong regularisation) as the candidate. The operator writes the mirror
// settings into <name>-shadow, the kubelet hands them to the stable pods' agents, which mirror
// every request to the candidate's track Service through kube-proxy and compare the answers.
// The agreement check must equal the agreement computed offline on the same rows; a candidate
// below `min` is rolled back without a user ever getting its answer, and, retried with a lower
// `min`, it passes the phase and reaches step 1, where no check applies any more.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { mlserverEnvDir } from "../../../src/sandbox/iris-model.ts";
import { kubectlOk } from "../../support/cluster.ts";
import { offlineAgreement, weakerModelCopy } from "../../support/e2e/iris.ts";
import { irisRows } from "../../support/iris-data.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { recordVersions, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { eventMessages, type RolloutMdepView } from "../../support/rollout.ts";
import { httpOnce, realNodePlacement, serviceUrl, useRealModel } from "../../support/real-node.ts";

const NAME = "iris";
const fx = useRealModel("real-shadow", NAME);
/** Every request carries the same rows, so each compared request adds exactly the offline counts. */
const ROWS = irisRows(200, 11);

type ShadowView = RolloutMdepView & { status?: { rollout?: { shadowing?: boolean } } };
const view = (md: MdepView): ShadowView => md;

test("a candidate that answers differently is rolled back in the shadow phase; agreement equals the offline one; retried with a lower bar it reaches step 1", async () => {
  const envDir = await mlserverEnvDir();
  const weak = `${fx.model.path}-weak`;
  await weakerModelCopy(envDir, join(fx.model.hostDir, fx.model.path), join(fx.model.hostDir, weak), 0.01);
  const offline = await offlineAgreement(envDir, join(fx.model.hostDir, fx.model.path), join(fx.model.hostDir, weak), ROWS);
  const expected = offline.agreeing / offline.rows;
  console.log(`[real-node] offline: the two models agree on ${offline.agreeing} of ${offline.rows} rows (${expected.toFixed(3)})`);
  assert.ok(expected > 0.5 && expected < 0.99, "the candidate is a genuinely different model, but not a random one");

  const placement = await realNodePlacement(fx.cluster);
  const md = (path: string, version: string, min: number): string => JSON.stringify({
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${path}`, format: "sklearn", version },
      replicas: 2,
      rollout: {
        strategy: "Canary",
        shadow: { duration: "20s", sampleRate: 1, comparison: { mode: "Label" } },
        steps: [{ weight: 50 }],
        analysis: { interval: "10s", failureLimit: 0, agreement: { min, minRows: 2 * ROWS.length } },
      },
      ...placement,
    },
  });
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], md(fx.model.path, "v1", 0.99));
  await waitForMdep(fx.cluster, fx.ns, NAME, "Ready on v1", (m) => m.status?.phase === "Ready" && m.status.readyReplicas === 2, 240_000);
  const url = `${await serviceUrl(fx.cluster, fx.ns, NAME)}/v2/models/${NAME}/infer`;
  const stableAnswer = (await httpOnce(url, { body: irisInferenceBody(ROWS) })).body;
  const stableOutputs = (JSON.parse(stableAnswer) as { outputs: unknown }).outputs;

  // Users keep sending the same request; every answer must be the stable model's.
  let sending = true;
  let checking = true;
  let sent = 0;
  const wrong: string[] = [];
  /** Failed user requests in the whole test, checked or not: a step that shrinks the stable revision must not refuse connections. */
  const failed: string[] = [];
  const load = (async () => {
    while (sending) {
      await new Promise((r) => setTimeout(r, 50));
      const answer = await httpOnce(url, { body: irisInferenceBody(ROWS) }).catch((error: unknown) => ({ status: 0, body: String(error) }));
      if (answer.status !== 200) failed.push(`${answer.status} ${answer.body.slice(0, 200)}`);
      if (!checking) continue;
      sent++;
      if (answer.status !== 200 || !isDeepStrictEqualJson((JSON.parse(answer.body) as { outputs: unknown }).outputs, stableOutputs)) wrong.push(`${answer.status} ${answer.body.slice(0, 200)}`);
    }
  })();
  try {
    const recorder = await recordVersions(fx.cluster, fx.ns, NAME);
    await kubectlOk(fx.cluster, ["apply", "-f", "-"], md(weak, "v2", 0.99));
    const rolledBack = view(await waitForMdep(fx.cluster, fx.ns, NAME, "rolled back by the agreement check", (m) => view(m).status?.rollout?.phase === "RolledBack", 300_000));
    const versions = (await recorder.stop()).map(view);
    assert.equal(rolledBack.status?.rollout?.reason, "AnalysisFailed");
    assert.ok(versions.some((m) => m.status?.rollout?.shadowing === true), "the rollout went through the shadow phase");
    assert.ok(versions.every((m) => (m.status?.canary?.weight ?? 0) === 0), "the candidate never had a traffic weight");
    // The failing interval rolled back in the same decision, so its numbers are in the rollback's message.
    const message = rolledBack.status?.rollout?.message ?? "";
    console.log(`[real-node] rollback: ${message}`);
    const [, agreeing = "", compared = ""] = /agreement: the candidate agreed on (\d+) of (\d+) rows/.exec(message) ?? [];
    assert.ok(Number(compared) >= 2 * ROWS.length && Number(compared) % ROWS.length === 0, `whole requests were compared (${compared} rows)`);
    assert.equal(Number(agreeing) * offline.rows, offline.agreeing * Number(compared), `agreement ${agreeing}/${compared} equals the offline ${offline.agreeing}/${offline.rows}`);

    checking = false;
    console.log(`[real-node] ${sent} user requests until the rollback; answers that were not the stable model's: ${wrong.length}`);
    assert.deepEqual(wrong, [], "no user got an answer from the candidate, nor an error");

    // Retry with a bar the candidate clears: the phase passes and step 1 starts.
    await kubectlOk(fx.cluster, ["apply", "-f", "-"], md(weak, "v2", 0.5));
    await kubectlOk(fx.cluster, ["annotate", "mdep", NAME, "-n", fx.ns, "mdo.dev/retry=again", "--overwrite"]);
    const stepOne = view(await waitForMdep(fx.cluster, fx.ns, NAME, "the shadow phase passed: step 1 at 50%", (m) =>
      view(m).status?.rollout?.shadowing !== true && view(m).status?.canary?.weight === 50, 300_000));
    console.log(`[real-node] after retry: ${stepOne.status?.rollout?.reason ?? ""}: ${stepOne.status?.rollout?.message ?? ""}`);
    // Step 1 has no check left (agreement is the shadow phase's): it passes and waits for a person, as its empty pause says.
    await waitForMdep(fx.cluster, fx.ns, NAME, "step 1 analysed, waiting for a person", (m) => view(m).status?.rollout?.reason === "WaitingForPromotion", 60_000);
    const completed = await eventMessages(fx.cluster, fx.ns, NAME, "ShadowCompleted");
    assert.equal(completed.length, 1, `one ShadowCompleted event: ${completed.join(" | ")}`);
  } finally {
    sending = false;
    await load;
  }
  assert.ok(sent > 0);
  assert.deepEqual(failed, [], "no user request failed, also while step 1 shrank the stable revision to 1 pod");
});

function isDeepStrictEqualJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
