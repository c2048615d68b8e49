// Scale to zero with real pods, real agents, a real MLServer and two real activator processes
// (as the chart's two replicas; on the bridge address, behind a Service kube-proxy routes):
// idle past idleAfter → 0 replicas and the Service points at the activators; a burst of 50
// concurrent requests at zero → one cold start, every request answered 200 once, with the
// cold-start header; an activator killed during a cold start → its clients get an error at once,
// never a hang, while the other activator's clients are served.
import { strict as assert } from "node:assert";
import { request } from "node:http";
import { after, test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { irisInferenceBody } from "../../support/mlserver.ts";
import { waitForMdep, type MdepView } from "../../support/mdep.ts";
import { eventMessages } from "../../support/rollout.ts";
import { podsOf, realNodePlacement, serviceUrl, useRealModel } from "../../support/real-node.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";
import { createActivatorService, publishActivator, startActivator, unpublishActivator, type ActivatorProcess } from "../../support/activator.ts";

const NAME = "iris";
const ACTIVATOR_SERVICE = "mdo-activator";
const fx = useRealModel("real-zero", NAME, { restricted: true, operator: false });
let operator: TestOperator | undefined;
const activators: ActivatorProcess[] = [];
after(async () => {
  await Promise.all(activators.map((a) => a.stop("SIGKILL")));
  await operator?.stop();
});

type View = MdepView & { status?: MdepView["status"] & { autoscaling?: { desiredReplicas?: number; routedToActivator?: boolean; message?: string } } };

interface Answer {
  status: number;
  body: string;
  coldStartMs?: number;
  error?: string;
  ms: number;
}

/** One inference on a connection of its own (kube-proxy picks an endpoint per connection); `host` names the target for the activator. */
function infer(url: string, body: unknown, host?: string, timeoutMs = 60_000): Promise<Answer> {
  const payload = JSON.stringify(body);
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(`${url}/v2/models/${NAME}/infer`, {
      method: "POST", agent: false, timeout: timeoutMs,
      headers: { connection: "close", "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...(host === undefined ? {} : { host }) },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("error", (e) => resolve({ status: 0, body: text, error: e.message, ms: Date.now() - started }));
      res.on("end", () => {
        const cold = res.headers["x-mdo-cold-start"];
        resolve({ status: res.statusCode ?? 0, body: text, ms: Date.now() - started, ...(typeof cold === "string" ? { coldStartMs: Number(cold) } : {}) });
      });
    });
    req.once("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.once("error", (e) => resolve({ status: 0, body: "", error: e.message, ms: Date.now() - started }));
    req.end(payload);
  });
}

function predictions(answer: Answer): number[] {
  return (JSON.parse(answer.body) as { outputs: { data: number[] }[] }).outputs[0]?.data ?? [];
}

async function replicas(): Promise<number> {
  return Number(await kubectlOk(fx.cluster, ["get", "deployments", "-n", fx.ns, "-l", `mdo.dev/model-deployment=${NAME}`, "-o", "jsonpath={.items[0].spec.replicas}"]));
}

async function readyPods(): Promise<{ name: string; ip: string }[]> {
  const pods = await podsOf(fx.cluster, fx.ns, `mdo.dev/model-deployment=${NAME}`);
  return pods
    .filter((p) => p.metadata.deletionTimestamp === undefined && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
    .map((p) => ({ name: p.metadata.name, ip: p.status.podIP ?? "" }));
}

/** Inference requests the agents of the ready pods answered (their counters, summed). */
async function inferencesAnswered(): Promise<number> {
  let total = 0;
  for (const pod of await readyPods()) {
    const text = await (await fetch(`http://${pod.ip}:9090/metrics`)).text();
    for (const line of text.split("\n")) {
      if (line.startsWith("mdo_agent_requests_total{") && line.includes('route="infer"')) total += Number(line.split(" ").at(-1));
    }
  }
  return total;
}

async function waitForZero(what: string): Promise<number> {
  const start = Date.now();
  await waitFor(what, 120_000, async () => (await replicas()) === 0 && (await readyPods()).length === 0);
  const view = (await waitForMdep(fx.cluster, fx.ns, NAME, "routed to the activator", (m) => (m as View).status?.autoscaling?.routedToActivator === true, 30_000)) as View;
  assert.match(view.status?.autoscaling?.message ?? "", /scaled to zero/);
  return Date.now() - start;
}

test("idle → zero; 50 concurrent requests at zero → one cold start, all answered once; an activator killed mid cold start fails fast while the other serves", async () => {
  operator = await startTestOperator(fx.cluster, fx.ns, { activatorService: `${fx.ns}/${ACTIVATOR_SERVICE}` });
  await createActivatorService(fx.cluster, fx.ns, ACTIVATOR_SERVICE);
  for (let i = 0; i < 2; i++) activators.push(await startActivator(fx.cluster, fx.ns, operator.healthAddress));
  for (const a of activators) await publishActivator(fx.cluster, fx.ns, ACTIVATOR_SERVICE, a);
  const [first, second] = activators;
  assert.ok(first !== undefined && second !== undefined);

  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: NAME, namespace: fx.ns },
    spec: {
      model: { uri: `pvc://models/${fx.model.path}`, format: "sklearn", version: "v1" },
      autoscaling: { minReplicas: 0, maxReplicas: 3, metric: "concurrency", target: 10, window: "6s", panicWindow: "2s", scaleToZero: { idleAfter: "8s" } },
      ...(await realNodePlacement(fx.cluster)),
    },
  };
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], JSON.stringify(md));
  await waitForMdep(fx.cluster, fx.ns, NAME, "Ready with its first pod", (m) => m.status?.phase === "Ready" && (m.status.readyReplicas ?? 0) === 1, 180_000);
  const service = await serviceUrl(fx.cluster, fx.ns, NAME);
  const body = irisInferenceBody(fx.model.expected.rows);

  // Idle: the first pod goes once it has served nothing for idleAfter; the Service then points at the activators.
  const idle = await waitForZero("scaled to zero after idleAfter");
  console.log(`[real-node] scaled to zero ${(idle / 1000).toFixed(1)} s after the first pod was Ready (idleAfter 8 s)`);
  const slices = await kubectlOk(fx.cluster, ["get", "endpointslices", "-n", fx.ns, "-l", `kubernetes.io/service-name=${NAME},endpointslice.kubernetes.io/managed-by=operator.mdo.dev`, "-o", "jsonpath={range .items[*]}{.endpoints[*].addresses[0]}:{.ports[0].port} {end}"]);
  assert.deepEqual(slices.trim().split(" ").sort(), activators.map((a) => `198.18.0.1:${a.port}`).sort(), "the Service's endpoints are the two activators");

  // A burst at zero: every request held, one cold start, each answered once with the right predictions.
  const burstStart = Date.now();
  // Clients name the Service as in-cluster clients do (its DNS name in Host): the activator finds the target by it.
  const serviceHost = `${NAME}.${fx.ns}.svc.cluster.local`;
  const burst = await Promise.all(Array.from({ length: 50 }, () => infer(service, body, serviceHost)));
  // Read before the autoscaler lets any of the new pods go (its stable window still holds the burst).
  const answeredByModel = await inferencesAnswered();
  const failed = burst.filter((a) => a.status !== 200);
  assert.deepEqual(failed.slice(0, 3), [], `all 50 answered 200 (${failed.length} not)`);
  for (const answer of burst) assert.deepEqual(predictions(answer), fx.model.expected.predictions);
  const held = burst.filter((a) => a.coldStartMs !== undefined);
  assert.equal(held.length, 50, "every request was held through the cold start");
  const slowest = Math.max(...burst.map((a) => a.ms));
  console.log(`[real-node] 50 requests at zero: all 200 after ${(slowest / 1000).toFixed(1)} s (cold start header ${Math.min(...held.map((a) => a.coldStartMs ?? 0))}-${Math.max(...held.map((a) => a.coldStartMs ?? 0))} ms)`);
  assert.ok((await replicas()) >= 1, "0 → at least 1 replica");
  assert.equal(answeredByModel, 50, "the model answered each request once: none lost, none twice");
  const events = await eventMessages(fx.cluster, fx.ns, NAME, "Scaled");
  assert.ok(events.some((m) => /from 1 to 0 replicas/.test(m)) && events.some((m) => /from 0 to \d replicas/.test(m)), `Scaled Events to and from zero: ${events.join(" | ")}`);
  // Once a pod is ready the Service leaves the activators.
  await waitFor("the activator slices gone", 30_000, async () => (await kubectlOk(fx.cluster, ["get", "endpointslices", "-n", fx.ns, "-l", `kubernetes.io/service-name=${NAME},endpointslice.kubernetes.io/managed-by=operator.mdo.dev`, "-o", "name"])).trim() === "");
  console.log(`[real-node] activator slices removed ${((Date.now() - burstStart) / 1000).toFixed(1)} s after the burst began`);

  // An activator killed during a cold start: its held clients get an error at once, the other's are served.
  await waitForZero("back to zero after the burst");
  const onFirst = Array.from({ length: 5 }, () => infer(first.url, body, serviceHost));
  const onSecond = Array.from({ length: 5 }, () => infer(second.url, body, serviceHost));
  await waitFor("a cold start begun", 10_000, async () => (await replicas()) >= 1);
  const killedAt = Date.now();
  await first.stop("SIGKILL");
  const cut = await Promise.all(onFirst);
  for (const answer of cut) {
    assert.ok(answer.status === 0 || answer.status === 503, `a killed activator's client gets an error or a 503: ${JSON.stringify(answer)}`);
  }
  const waited = Date.now() - killedAt;
  assert.ok(waited < 5000, `no hang: the killed activator's clients knew within ${waited} ms`);
  await unpublishActivator(fx.cluster, fx.ns, ACTIVATOR_SERVICE, first);
  const served = await Promise.all(onSecond);
  assert.deepEqual(served.map((a) => a.status), [200, 200, 200, 200, 200], JSON.stringify(served.filter((a) => a.status !== 200)));
  for (const answer of served) assert.deepEqual(predictions(answer), fx.model.expected.predictions);
  console.log(`[real-node] killed activator: its 5 clients failed within ${waited} ms; the other's 5 answered 200 after ${(Math.max(...served.map((a) => a.ms)) / 1000).toFixed(1)} s`);
});
