// One rollout decision as rounds of questions and answers: step the machine, answer what it asks
// (analysis verdicts, webhook results), step again from the same state with the answers, until
// it asks nothing new. The answers come from the caller; this loop does no I/O of its own.
import type { Action } from "./actions.ts";
import type { WebhookResults } from "./hook-state.ts";
import { step, type Observations, type StepResult } from "./machine.ts";
import type { RolloutPolicy } from "./policy.ts";
import type { RolloutState } from "./state.ts";
import type { Verdict } from "./verdict.ts";

/** What a step can ask the caller: run the canary's analysis, or call the hooks of one type. */
export type Question = Extract<Action, { kind: "RunAnalysis" } | { kind: "CallWebhooks" }>;

/** Answers gathered so far: the analysis's verdicts once run, and each asked hook type's results. */
export interface Answers {
  verdicts?: Verdict[];
  webhooks?: WebhookResults;
}

/**
 * Answers `questions` (never empty, none answered before): `verdicts` when a RunAnalysis is among
 * them, and `webhooks[type]` for each CallWebhooks. A rejection ends the decision: settle rejects
 * with it (an aborted reconcile decides nothing).
 */
export type Answerer = (questions: readonly Question[]) => Promise<Answers>;

export interface Settled {
  /** The last step: the one that asked nothing new, or the last of MAX_ROUNDS. */
  result: StepResult;
  /** Every answer given; `verdicts` is set when the analysis ran in this decision. */
  answers: Answers;
}

/** Rounds of questions and answers per decision: the analysis and the four webhook types. */
export const MAX_ROUNDS = 5;

/**
 * Steps `state` with `obs` at `now`, then, while the last step asked something not answered yet,
 * gets the answers from `answer` and steps again from the same `state` with every answer so far.
 * An answer can lead to a new question (verdicts → ConfirmPromotion), never to the same one, so
 * at most MAX_ROUNDS rounds are needed. Deterministic given the answers.
 */
export async function settle(state: RolloutState, obs: Observations, policy: RolloutPolicy, now: Date, answer: Answerer): Promise<Settled> {
  let result = step(state, obs, policy, now);
  let answers: Answers = {};
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const questions = unanswered(result.actions, answers);
    if (questions.length === 0) break;
    answers = merge(answers, await answer(questions));
    result = step(state, { ...obs, ...answers }, policy, now);
  }
  return { result, answers };
}

function unanswered(actions: readonly Action[], answers: Answers): Question[] {
  return actions.filter((a): a is Question =>
    (a.kind === "RunAnalysis" && answers.verdicts === undefined) || (a.kind === "CallWebhooks" && answers.webhooks?.[a.call.type] === undefined));
}

function merge(a: Answers, b: Answers): Answers {
  const verdicts = a.verdicts ?? b.verdicts;
  return { ...(verdicts === undefined ? {} : { verdicts }), webhooks: { ...a.webhooks, ...b.webhooks } };
}
