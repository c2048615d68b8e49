// Rollout webhooks called by the real operator on the real control plane: the receiver runs on
// 127.0.0.1 in this process, which the in-process operator reaches. A ConfirmPromotion hook holds
// the promotion until it answers 2xx; a failing PreRollout hook rolls the rollout back before the
// new revision gets any replicas; PostRollout hooks are told once how it ended.
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { kubectlOk, waitFor } from "../../support/cluster.ts";
import { condition, waitForMdep, type MdepView } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";
import { eventMessages, eventReasons, mdepWithRollout, revisionReplicas, setModelVersion, type RolloutMdepView } from "../../support/rollout.ts";

const fx = useTestOperator("webhooks");
const view = (md: MdepView): RolloutMdepView => md;
const readyOn = (version: string) => (md: MdepView): boolean =>
  condition(md, "Ready")?.status === "True" && md.status?.observedGeneration === md.metadata.generation && md.status?.stable?.modelVersion === version;

interface Hit {
  at: number;
  body: Record<string, unknown>;
}
/** Per path: the status codes to answer in turn (the last one from then on), and what came in. */
const answers = new Map<string, number[]>();
const hits = new Map<string, Hit[]>();
let receiver: Server;
let base = "";

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const seen = hits.get(path) ?? [];
      seen.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> });
      hits.set(path, seen);
      const codes = answers.get(path) ?? [404];
      const code = codes[Math.min(seen.length - 1, codes.length - 1)] ?? 404;
      res.writeHead(code, { "content-type": "text/plain" }).end(code < 300 ? "ok" : `refused with ${code}`);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
after(() => {
  receiver.closeAllConnections();
  receiver.close();
});

test("a ConfirmPromotion hook answering 403 holds the promotion (WaitingForConfirmation); its 200 30 s later promotes", async () => {
  answers.set("/confirm", [403, 200]);
  answers.set("/confirm-post", [204]);
  const webhooks = [
    { name: "approve", type: "ConfirmPromotion", url: `${base}/confirm`, timeout: "2s", retries: 0, metadata: { ticket: "CHG-7" } },
    { name: "notify", type: "PostRollout", url: `${base}/confirm-post` },
  ];
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("confirm", fx.ns, { strategy: "Canary", steps: [{ weight: 50, pause: "1s" }], webhooks }, { replicas: 2 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "confirm", "Ready on v1", readyOn("v1")));
  const stableRevision = v1.status?.stable?.revision ?? "";
  assert.equal(hits.get("/confirm"), undefined, "not asked for the first revision");

  await setModelVersion(fx.cluster, fx.ns, "confirm", "v2");
  const waiting = view(await waitForMdep(fx.cluster, fx.ns, "confirm", "waiting for confirmation", (md) =>
    view(md).status?.rollout?.reason === "WaitingForConfirmation" && (hits.get("/confirm")?.length ?? 0) >= 1));
  const canaryRevision = waiting.status?.canary?.revision ?? "";
  assert.equal(waiting.status?.rollout?.phase, "Progressing");
  assert.equal(waiting.status?.canary?.weight, 50);
  assert.equal(waiting.status?.stable?.revision, stableRevision, "not promoted while the hook refuses");
  assert.match(waiting.status?.rollout?.message ?? "", /approve answered 403: refused with 403/);
  assert.deepEqual(hits.get("/confirm")?.[0]?.body, {
    name: "confirm", namespace: fx.ns, type: "ConfirmPromotion", phase: "Progressing", stableRevision, canaryRevision,
    modelVersion: "v2", step: 0, weight: 50, metadata: { ticket: "CHG-7" },
  });

  const done = view(await waitForMdep(fx.cluster, fx.ns, "confirm", "promoted to v2", readyOn("v2"), 90_000));
  assert.equal(done.status?.stable?.revision, canaryRevision);
  const asks = hits.get("/confirm") ?? [];
  assert.equal(asks.length, 2, "asked twice: refused, then confirmed");
  const apart = (asks[1]?.at ?? 0) - (asks[0]?.at ?? 0);
  assert.ok(apart >= 29_000, `asked again after 30 s, not earlier (${apart} ms)`);
  await waitFor("the PostRollout hook told once about the promotion", 30_000, () => (hits.get("/confirm-post")?.length ?? 0) >= 1);
  assert.deepEqual(hits.get("/confirm-post")?.map((h) => [h.body.type, h.body.phase, h.body.canaryRevision]), [["PostRollout", "Promoted", canaryRevision]]);
  const failed = await eventMessages(fx.cluster, fx.ns, "confirm", "WebhookFailed");
  assert.ok(failed.some((m) => /ConfirmPromotion webhook approve answered 403/.test(m)), `WebhookFailed Event names the hook and status: ${failed.join(" | ")}`);
  const passed = await eventMessages(fx.cluster, fx.ns, "confirm", "WebhookPassed");
  assert.ok(passed.some((m) => /ConfirmPromotion webhook approve answered 200/.test(m)), `WebhookPassed Event: ${passed.join(" | ")}`);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.equal(hits.get("/confirm-post")?.length, 1, "told once");
});

test("a PreRollout hook answering 500 rolls the rollout back (PreRolloutWebhookFailed) before the new revision gets replicas", async () => {
  answers.set("/pre", [500]);
  answers.set("/pre-post", [200]);
  const webhooks = [
    { name: "load-test", type: "PreRollout", url: `${base}/pre`, timeout: "2s", retries: 1 },
    { name: "notify", type: "PostRollout", url: `${base}/pre-post` },
  ];
  await kubectlOk(fx.cluster, ["apply", "-f", "-"], mdepWithRollout("gate", fx.ns, { strategy: "Canary", steps: [{ weight: 50, pause: "1s" }], webhooks }, { replicas: 2 }));
  const v1 = view(await waitForMdep(fx.cluster, fx.ns, "gate", "Ready on v1", readyOn("v1")));
  const stableRevision = v1.status?.stable?.revision ?? "";
  await setModelVersion(fx.cluster, fx.ns, "gate", "v2");
  const rolledBack = view(await waitForMdep(fx.cluster, fx.ns, "gate", "rolled back", (md) =>
    view(md).status?.rollout?.phase === "RolledBack" && condition(md, "Stalled")?.status === "True"));
  assert.equal(rolledBack.status?.rollout?.reason, "PreRolloutWebhookFailed");
  assert.equal(condition(rolledBack, "Stalled")?.reason, "PreRolloutWebhookFailed");
  assert.match(rolledBack.status?.lastFailure?.message ?? "", /PreRollout webhook load-test answered 500: refused with 500 \(after 2 attempts\)/);
  assert.equal(rolledBack.status?.stable?.revision, stableRevision);
  assert.deepEqual(rolledBack.status?.history?.map((h) => [h.modelVersion, h.outcome]), [["v2", "RolledBack"]]);
  assert.equal(hits.get("/pre")?.length, 2, "one retry of the 500");
  assert.deepEqual(hits.get("/pre")?.[0]?.body.weight, 0);
  const canaryRevision = rolledBack.status?.rollout?.canary?.revision ?? "";
  const replicas = await revisionReplicas(fx.cluster, fx.ns, "gate");
  assert.equal(replicas.get(canaryRevision) ?? 0, 0, "the new revision never got replicas");
  assert.equal(replicas.get(stableRevision), 2);
  const reasons = await eventReasons(fx.cluster, fx.ns, "gate");
  assert.ok(reasons.includes("WebhookFailed") && reasons.includes("PreRolloutWebhookFailed"), `Events: ${reasons.join(", ")}`);
  await waitFor("the PostRollout hook told about the rollback", 30_000, () => (hits.get("/pre-post")?.length ?? 0) >= 1);
  assert.deepEqual(hits.get("/pre-post")?.map((h) => h.body.phase), ["RolledBack"]);
});
