// decideRollout, the reconcile's rollout step, with its real machine, planner and router; only the
// webhook caller is a stand-in (answers as given, or waits for the abort).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { ModelDeploymentStatus } from "../../../src/api/index.ts";
import { decideRollout, type RolloutInput } from "../../../src/controllers/modeldeployment/rollout/decide-rollout.ts";
import { initialState } from "../../../src/rollout/state.ts";
import { saveState } from "../../../src/controllers/modeldeployment/rollout/state-codec.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { routerFor } from "../../../src/traffic/index.ts";
import type { WebhookCaller } from "../../../src/webhooks/types.ts";
import type { WebhookResult } from "../../../src/rollout/hook-state.ts";
import { modelDeployment } from "../builders/fixtures.ts";

const md = modelDeployment((input) => {
  input.spec.rollout = {
    strategy: "Canary", steps: [{ weight: 50, pause: "1m" }],
    webhooks: [{ name: "gate", type: "PreRollout", url: "http://gate.ml.svc/check" }],
  };
});
const status: ModelDeploymentStatus = { rollout: saveState(initialState({ revision: "r1" }), undefined) };

function input(webhooks: WebhookCaller, signal?: AbortSignal): RolloutInput {
  return {
    md, status, desired: { revision: "r2", modelVersion: "v2" }, deployments: [], router: routerFor(undefined),
    settings: DEFAULT_SETTINGS, analyzer: undefined, webhooks, now: new Date("2026-12-01T00:00:00Z"),
    ...(signal === undefined ? {} : { signal }),
  };
}

const failing = (message: string): WebhookResult[] => [{ name: "gate", passed: false, status: 500, message }];

test("a PreRollout hook answering 500 rolls the new revision back before it gets replicas", async () => {
  const decision = await decideRollout(input({ call: () => Promise.resolve(failing("answered 500")) }));
  assert.equal(decision.state.phase, "RolledBack");
  assert.equal(decision.state.reason, "PreRolloutWebhookFailed");
  assert.equal(decision.plan.replicas.get("r2"), 0);
});

test("webhook answers cut short by the reconcile's abort decide nothing: decideRollout rejects", async () => {
  const reconcile = new AbortController();
  const caller: WebhookCaller = {
    call: (_hooks, _call, _target, signal) => new Promise((resolve) => {
      signal?.addEventListener("abort", () => resolve([{ name: "gate", passed: false, message: "aborted" }]), { once: true });
    }),
  };
  const deciding = decideRollout(input(caller, reconcile.signal));
  reconcile.abort(new Error("shutting down"));
  await assert.rejects(deciding, /shutting down/);
});
