// Builders for rollout machine tests: policies, verdicts, a driver that persists the state
// through JSON between calls, as status would, and one reconcile's decision through src's settle loop.
import type { Action } from "../../../src/rollout/actions.ts";
import type { Command } from "../../../src/rollout/commands.ts";
import type { WebhookCall, WebhookResult, WebhookResults } from "../../../src/rollout/hook-state.ts";
import type { Observations, StepResult } from "../../../src/rollout/machine.ts";
import { step } from "../../../src/rollout/machine.ts";
import type { RolloutPolicy } from "../../../src/rollout/policy.ts";
import { settle, type Answerer, type Answers } from "../../../src/rollout/settle.ts";
import type { RolloutState } from "../../../src/rollout/state.ts";
import { initialState } from "../../../src/rollout/state.ts";
import type { Verdict } from "../../../src/rollout/verdict.ts";

export const T0 = Date.parse("2026-01-01T00:00:00Z");
export const SEC = 1000;
export const MIN = 60 * SEC;

export function canaryPolicy(overrides: Partial<RolloutPolicy> = {}): RolloutPolicy {
  return {
    strategy: "Canary",
    steps: [{ weight: 10, pauseMs: MIN }, { weight: 50, pauseMs: 2 * MIN }],
    analysis: { intervalMs: 30 * SEC, failureLimit: 1 },
    progressDeadlineMs: 10 * MIN,
    autoPromote: true,
    scaleDownDelayMs: 0,
    webhooks: [],
    ...overrides,
  };
}

export const pass = (check = "successRate", value = 0.999): Verdict =>
  ({ check, status: "pass", value, threshold: { min: 0.99 }, reason: "SuccessRateAboveMin", message: `${value} >= 0.99` });
export const fail = (check = "successRate", value = 0.5): Verdict =>
  ({ check, status: "fail", value, threshold: { min: 0.99 }, reason: "SuccessRateBelowMin", message: `${value} < 0.99` });
export const noData = (check = "successRate"): Verdict =>
  ({ check, status: "noData", threshold: { min: 0.99 }, reason: "NoRequests", message: "no requests in the interval" });

/** Drives the machine; every call round-trips the state through JSON like a status write. */
export class Driver {
  state: RolloutState;
  last: StepResult | undefined;
  readonly policy: RolloutPolicy;
  constructor(policy: RolloutPolicy, state: RolloutState = initialState({ revision: "rev1", modelVersion: "v1" })) {
    this.policy = policy;
    this.state = state;
  }

  /** One call at T0 + atMs; desired defaults to rev2, canary not ready, no commands. */
  tick(atMs: number, obs: Partial<Observations> = {}): StepResult {
    const full: Observations = { desired: { revision: "rev2", modelVersion: "v2" }, canaryReady: false, commands: [], ...obs };
    const persisted = JSON.parse(JSON.stringify(this.state)) as RolloutState;
    this.last = step(persisted, full, this.policy, new Date(T0 + atMs));
    this.state = this.last.next;
    return this.last;
  }

  /** A ready canary at atMs: asks for analysis, then feeds `verdicts` to the second call. */
  analyse(atMs: number, verdicts: Verdict[], commands: Command[] = []): StepResult {
    const ask = this.tick(atMs, { canaryReady: true, commands });
    if (!ask.actions.some((a) => a.kind === "RunAnalysis")) throw new Error(`no analysis due at ${atMs}: ${this.state.reason}`);
    return this.tick(atMs, { canaryReady: true, verdicts, commands });
  }
}

/** Answers of hooks, as the webhook caller gives them. */
export const ok = (name: string, status = 200): WebhookResult => ({ name, passed: true, status, message: `answered ${status}` });
export const refuse = (name: string, status = 403, body = "not yet"): WebhookResult => ({ name, passed: false, status, message: `answered ${status}: ${body}` });
export const noAnswer = (name: string): WebhookResult => ({ name, passed: false, message: "no answer within 10000 ms (after 3 attempts)" });

/** What one reconcile asked and got. */
export interface Round {
  result: StepResult;
  /** The webhook calls made, in the order asked. */
  calls: WebhookCall[];
  analysed: boolean;
}

/**
 * One reconcile at T0 + atMs through the reconciler's own loop (settle, as decide-rollout.ts runs
 * it) from the persisted state: the analysis is answered with `verdicts` and each hook type with
 * `hooks[type]`; a question without an answer given fails the test.
 */
export async function reconcile(d: Driver, atMs: number, given: { canaryReady?: boolean; verdicts?: Verdict[]; hooks?: WebhookResults; commands?: Command[] } = {}): Promise<Round> {
  const base = JSON.parse(JSON.stringify(d.state)) as RolloutState;
  const obs: Observations = { desired: { revision: "rev2", modelVersion: "v2" }, canaryReady: given.canaryReady ?? false, commands: given.commands ?? [] };
  const calls: WebhookCall[] = [];
  let analysed = false;
  const answer: Answerer = (questions) => {
    const answers: Answers = {};
    for (const q of questions) {
      if (q.kind === "RunAnalysis") {
        if (given.verdicts === undefined) throw new Error(`analysis asked at ${atMs} without verdicts given`);
        answers.verdicts = given.verdicts;
        analysed = true;
        continue;
      }
      const results = given.hooks?.[q.call.type];
      if (results === undefined) throw new Error(`${q.call.type} hooks asked at ${atMs} without answers given`);
      answers.webhooks = { ...answers.webhooks, [q.call.type]: results };
      calls.push(q.call);
    }
    return Promise.resolve(answers);
  };
  const { result } = await settle(base, obs, d.policy, new Date(T0 + atMs), answer);
  d.last = result;
  d.state = result.next;
  return { result, calls, analysed };
}

export const kinds = (actions: readonly Action[]): string[] => actions.map((a) => a.kind);
export const edges = (actions: readonly Action[]): Action[] =>
  actions.filter((a) => a.kind !== "SetWeights" && a.kind !== "ScaleRevision");
export function weights(actions: readonly Action[]): [number, number] | undefined {
  const set = actions.find((a) => a.kind === "SetWeights");
  return set?.kind === "SetWeights" ? [set.stable, set.canary] : undefined;
}
export const reasons = (r: StepResult): string[] => r.events.map((e) => e.reason);
