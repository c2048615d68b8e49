// What a chaos run must show, as pure functions of what it recorded: each returns its violations
// (empty when the run passed). test/integration/operator/chaos-checks.test.ts shows each one
// failing on a record with that one thing wrong.
//
// "Acted on once", as the operator promises it (src/rollout/hook-*.ts, docs/rollouts.md): the
// machine asks for hook calls, the reconciler makes them and steps again with the answers, and
// the resulting state is persisted in status only after that. So a hook's answer is acted on
// exactly once — the state that records it is written once — but the call itself is
// at-least-once: when the status write after a call does not happen (the process was killed, the
// API server was down, the connection was cut), the next reconcile starts from the state before
// the call and makes it again. The checks therefore demand, per ModelDeployment:
// - every once-only call (PreRollout; ConfirmPromotion once answered 2xx; a Rollback call answered
//   2xx; PostRollout) at least once, and a repeat only when a fault struck between the call and
//   its repeat;
// - calls that recur on a timer (Rollback answered "carry on", ConfirmPromotion refused) no more
//   often than their period (the analysis interval; 30 s), again unless a fault struck between;
// - the decisions themselves once: status never goes back (phase, step), the rollout ends once
//   (one history entry for the new revision), each StepStarted, RolloutStarted and PromotionStarted
//   Event at most once (Events are sent only after the status write that made the decision), no
//   rollout hook called after the PostRollout notification (the rollout does not come back).
import type { ChaosPlan, RolloutPlan } from "./chaos-plan.ts";
import type { FaultRecord } from "./chaos-faults.ts";
import type { HookCall } from "./chaos-receiver.ts";

/** The decision time (read once per reconcile) and the call's arrival differ by up to this much. */
export const TIMING_SLACK_MS = 2_000;
/** ConfirmPromotion hooks that refused are asked again after this long (src/rollout/hook-calls.ts). */
export const CONFIRM_RETRY_MS = 30_000;

/** status.rollout's place in the rollout, sampled while it ran. */
export interface StatusSample {
  readonly at: number;
  readonly phase: string;
  readonly step: number;
  readonly stableRevision: string;
}

/** The parts of a ModelDeployment the checks read, at the end of the run. */
export interface FinalView {
  readonly metadata: { readonly name: string; readonly generation?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly conditions?: readonly { type: string; status: string; reason?: string; message?: string }[];
    readonly stable?: { revision?: string; modelVersion?: string };
    readonly rollout?: { phase?: string; step?: number; weight?: number; reason?: string; message?: string; webhooks?: { notify?: unknown } };
    readonly history?: readonly { revision: string; modelVersion?: string; outcome: string; time?: string }[];
  };
}

export interface EventView {
  readonly name: string;
  readonly reason: string;
  readonly message: string;
}

export interface ChaosRecord {
  readonly plan: ChaosPlan;
  /** Date.now() at the run's start; fault times are relative to it. */
  readonly t0: number;
  readonly intervalMs: number;
  readonly faults: readonly FaultRecord[];
  readonly calls: readonly HookCall[];
  /** The stable revision of each ModelDeployment before its rollout. */
  readonly initial: ReadonlyMap<string, string>;
  readonly final: readonly FinalView[];
  readonly samples: ReadonlyMap<string, readonly StatusSample[]>;
  readonly events: readonly EventView[];
  /** mdo_reconcile_total summed over every operator process of the run, and over the quiet tail. */
  readonly reconciles: { readonly total: number; readonly tail: number; readonly tailMs: number };
}

export interface ReconcileBounds {
  /** Reconciles per ModelDeployment over the whole run, faults and restarts included. */
  readonly each: number;
  /** Reconciles per ModelDeployment during the quiet tail after every rollout ended. */
  readonly tailEach: number;
}

export function checkAll(r: ChaosRecord, bounds: ReconcileBounds): string[] {
  return [...checkOutcomes(r), ...checkProgress(r), ...checkHooks(r), ...checkSettled(r), ...checkReconciles(r, bounds)];
}

/** The revision the rollout brought, as the hooks were told it (else from status.history). */
export function canaryRevisionOf(r: ChaosRecord, name: string): string | undefined {
  const fromCalls = r.calls.find((c) => c.name === name && c.canaryRevision !== undefined)?.canaryRevision;
  if (fromCalls !== undefined) return fromCalls;
  return finalOf(r, name)?.status?.history?.find((h) => h.modelVersion === "v2")?.revision;
}

/** Each rollout ended as its plan dictates, once. */
export function checkOutcomes(r: ChaosRecord): string[] {
  const out: string[] = [];
  for (const plan of r.plan.rollouts) {
    const md = finalOf(r, plan.name);
    const bad = (what: string): void => void out.push(`${plan.name} (${plan.verdict}): ${what}`);
    if (md === undefined) {
      bad("ModelDeployment missing at the end");
      continue;
    }
    const rollout = md.status?.rollout;
    const stable = md.status?.stable;
    const canary = canaryRevisionOf(r, plan.name);
    const initial = r.initial.get(plan.name);
    if (plan.verdict === "Promoted") {
      if (rollout?.phase !== "Stable") bad(`rollout phase ${rollout?.phase}, expected Stable after a promotion`);
      if (stable?.modelVersion !== "v2" || canary === undefined || stable.revision !== canary) {
        bad(`status.stable is ${stable?.revision}/${stable?.modelVersion}, expected the new revision ${canary}/v2`);
      }
    } else {
      if (rollout?.phase !== "RolledBack" || rollout.reason !== plan.verdict) bad(`rollout phase ${rollout?.phase} (${rollout?.reason}), expected RolledBack (${plan.verdict})`);
      if (stable?.revision !== initial || stable?.modelVersion !== "v1") bad(`status.stable is ${stable?.revision}/${stable?.modelVersion}, expected the old revision ${initial}/v1`);
      const stalled = md.status?.conditions?.find((c) => c.type === "Stalled");
      if (stalled?.status !== "True" || stalled.reason !== plan.verdict) bad(`Stalled is ${stalled?.status} (${stalled?.reason}), expected True (${plan.verdict})`);
      if (rollout?.step !== expectedEndStep(plan)) bad(`rolled back at step ${rollout?.step}, expected step ${expectedEndStep(plan)}`);
    }
    const ended = (md.status?.history ?? []).filter((h) => h.modelVersion === "v2");
    const outcome = plan.verdict === "Promoted" ? "Promoted" : "RolledBack";
    if (ended.length !== 1 || ended[0]?.outcome !== outcome || (canary !== undefined && ended[0]?.revision !== canary)) {
      bad(`status.history has ${JSON.stringify(ended)} for v2, expected one ${outcome} entry for ${canary}`);
    }
  }
  return out;
}

/** The step a rolled-back rollout ends at. */
function expectedEndStep(plan: RolloutPlan): number {
  return plan.verdict === "RollbackWebhook" ? plan.rollbackAtStep : 0;
}

/** Status never went back, and each step, start and promotion was announced at most once. */
export function checkProgress(r: ChaosRecord): string[] {
  const out: string[] = [];
  for (const plan of r.plan.rollouts) {
    const initial = r.initial.get(plan.name) ?? "";
    let last: { rank: number; sample: StatusSample } | undefined;
    for (const sample of r.samples.get(plan.name) ?? []) {
      const rank = rankOf(sample, initial);
      if (last !== undefined && rank < last.rank) {
        out.push(`${plan.name}: status went back from ${describe(last.sample)} to ${describe(sample)} at ${sample.at - r.t0} ms`);
      }
      if (last === undefined || rank > last.rank) last = { rank, sample };
    }
    const events = r.events.filter((e) => e.name === plan.name);
    const counts = new Map<string, number>();
    for (const e of events) {
      const key = e.reason === "StepStarted" ? `StepStarted ${/step (\d+)/.exec(e.message)?.[1] ?? "?"}` : e.reason;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      if (n > 1 && (key.startsWith("StepStarted") || key === "RolloutStarted" || key === "PromotionStarted")) out.push(`${plan.name}: ${n} ${key} Events, expected at most 1`);
    }
  }
  return out;
}

/** Initial Stable 0, Progressing step s 1 + s, Promoting 1000, ended (Stable on the new revision, RolledBack) 2000. */
function rankOf(s: StatusSample, initialRevision: string): number {
  if (s.phase === "Stable") return s.stableRevision === initialRevision ? 0 : 2000;
  if (s.phase === "Progressing") return 1 + s.step;
  if (s.phase === "Promoting") return 1000;
  return 2000;
}

function describe(s: StatusSample): string {
  return `${s.phase} step ${s.step} (stable ${s.stableRevision})`;
}

/** Every hook was called as the plan needs, each at least once, repeated only across a fault. */
export function checkHooks(r: ChaosRecord): string[] {
  const out: string[] = [];
  const weights = r.plan.shape.weights;
  const lastStep = weights.length - 1;
  for (const plan of r.plan.rollouts) {
    const bad = (what: string): void => void out.push(`${plan.name} (${plan.verdict}): ${what}`);
    const calls = r.calls.filter((c) => c.name === plan.name).sort((a, b) => a.at - b.at);
    const of = (type: HookCall["type"]): HookCall[] => calls.filter((c) => c.type === type);
    const initial = r.initial.get(plan.name);
    const canary = canaryRevisionOf(r, plan.name);
    const promoted = plan.verdict === "Promoted";
    for (const c of calls) {
      const stable = c.type === "PostRollout" && promoted ? canary : initial;
      if (c.canaryRevision !== canary || c.modelVersion !== "v2" || c.stableRevision !== stable) {
        bad(`${c.type} call at ${c.at - r.t0} ms about ${c.stableRevision} → ${c.canaryRevision}/${c.modelVersion}, expected ${stable} → ${canary}/v2`);
      }
    }

    const pre = of("PreRollout");
    if (pre.length === 0) bad("PreRollout hook never called");
    if (pre.some((c) => c.phase !== "Progressing" || c.step !== 0 || c.weight !== 0)) bad("a PreRollout call was not Progressing at step 0 with weight 0");
    out.push(...repeatsWithoutFault(r, plan.name, "PreRollout", pre));

    const rollback = of("Rollback");
    const rollbackAsks = plan.verdict === "PreRolloutWebhookFailed" ? 0 : plan.verdict === "RollbackWebhook" ? plan.rollbackAtStep + 1 : plan.verdict === "Promoted" ? weights.length : 1;
    if (plan.verdict === "PreRolloutWebhookFailed" ? rollback.length > 0 : rollback.length < rollbackAsks) {
      bad(`${rollback.length} Rollback calls, expected ${plan.verdict === "PreRolloutWebhookFailed" ? "none" : `at least ${rollbackAsks} (one per step reached)`}`);
    }
    for (const [i, c] of rollback.entries()) {
      if (c.phase !== "Progressing" || c.weight !== weights[c.step]) bad(`Rollback call at ${c.at - r.t0} ms in phase ${c.phase} at step ${c.step} with weight ${c.weight}`);
      const prev = rollback[i - 1];
      if (prev !== undefined && c.step < prev.step) bad(`Rollback calls went back from step ${prev.step} to step ${c.step} at ${c.at - r.t0} ms`);
    }
    const yes = rollback.filter((c) => c.status < 300);
    if (yes.some((c) => c.step !== plan.rollbackAtStep)) bad(`a Rollback hook answered 2xx at step ${yes.map((c) => c.step).join(", ")}, the plan says step ${plan.rollbackAtStep}`);
    out.push(...repeatsWithoutFault(r, plan.name, "Rollback answered 2xx", yes));
    out.push(...tooOften(r, plan.name, "Rollback", rollback.filter((c) => c.status >= 300), r.intervalMs));

    const confirm = of("ConfirmPromotion");
    if (!promoted && confirm.length > 0) bad(`${confirm.length} ConfirmPromotion calls, expected none (rolled back before the last step ended)`);
    if (promoted && confirm.length < plan.confirmRefusals + 1) bad(`${confirm.length} ConfirmPromotion calls, expected at least ${plan.confirmRefusals + 1}`);
    if (confirm.some((c) => c.phase !== "Progressing" || c.step !== lastStep || c.weight !== weights[lastStep])) bad("a ConfirmPromotion call was not Progressing at the last step");
    out.push(...repeatsWithoutFault(r, plan.name, "ConfirmPromotion answered 2xx", confirm.filter((c) => c.status < 300)));
    out.push(...tooOften(r, plan.name, "ConfirmPromotion", confirm, CONFIRM_RETRY_MS, (c) => c.status >= 300));

    const post = of("PostRollout");
    const outcome = promoted ? "Promoted" : "RolledBack";
    const endWeight = promoted ? 100 : plan.verdict === "PreRolloutWebhookFailed" ? 0 : weights[expectedEndStep(plan)];
    const endStep = promoted ? lastStep : expectedEndStep(plan);
    if (post.length === 0) bad("PostRollout hook never called");
    if (post.some((c) => c.phase !== outcome || c.weight !== endWeight || c.step !== endStep)) {
      bad(`PostRollout told ${post.map((c) => `${c.phase} step ${c.step} weight ${c.weight}`).join("; ")}, expected ${outcome} step ${endStep} weight ${endWeight}`);
    }
    out.push(...repeatsWithoutFault(r, plan.name, "PostRollout", post));
    const notified = post[0]?.at;
    const late = notified === undefined ? [] : calls.filter((c) => c.type !== "PostRollout" && c.at > notified);
    if (late.length > 0) bad(`${late.map((c) => c.type).join(", ")} called after the PostRollout notification (${late.map((c) => `${c.at - r.t0} ms`).join(", ")})`);
  }
  return out;
}

/** Repeats of a call the operator should have made once, each allowed only when a fault struck since the call before. */
function repeatsWithoutFault(r: ChaosRecord, name: string, what: string, calls: readonly HookCall[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < calls.length; i++) {
    const prev = calls[i - 1]!;
    const call = calls[i]!;
    if (!faultBetween(r, prev.at, call.at)) out.push(`${name}: ${what} called again at ${call.at - r.t0} ms (before: ${prev.at - r.t0} ms) with no fault in between`);
  }
  return out;
}

/** Consecutive calls closer than `periodMs` (for those after a call `counts`), unless a fault struck in between. */
function tooOften(r: ChaosRecord, name: string, what: string, calls: readonly HookCall[], periodMs: number, counts: (c: HookCall) => boolean = () => true): string[] {
  const out: string[] = [];
  for (let i = 1; i < calls.length; i++) {
    const prev = calls[i - 1]!;
    const call = calls[i]!;
    if (counts(prev) && call.at - prev.at < periodMs - TIMING_SLACK_MS && !faultBetween(r, prev.at, call.at)) {
      out.push(`${name}: ${what} asked again after ${call.at - prev.at} ms (at ${call.at - r.t0} ms), its period is ${periodMs} ms, with no fault in between`);
    }
  }
  return out;
}

/** A fault was under way at some moment between `from` (less the slack) and `to` (Date.now() values). */
export function faultBetween(r: ChaosRecord, from: number, to: number): boolean {
  return r.faults.some((f) => r.t0 + f.startMs <= to && r.t0 + f.endMs >= from - TIMING_SLACK_MS);
}

/** Nothing left in progress: not Reconciling, status current, no notification pending. */
export function checkSettled(r: ChaosRecord): string[] {
  const out: string[] = [];
  for (const md of r.final) {
    const reconciling = md.status?.conditions?.find((c) => c.type === "Reconciling");
    if (reconciling?.status === "True") out.push(`${md.metadata.name}: Reconciling=True at the end (${reconciling.reason}: ${reconciling.message})`);
    if (md.status?.observedGeneration !== md.metadata.generation) out.push(`${md.metadata.name}: observedGeneration ${md.status?.observedGeneration} of generation ${md.metadata.generation}`);
    if (md.status?.rollout?.webhooks?.notify !== undefined) out.push(`${md.metadata.name}: a PostRollout notification still pending in status.rollout.webhooks`);
  }
  return out;
}

/** No reconcile loop: reconciles per ModelDeployment bounded, over the run and over the quiet tail. */
export function checkReconciles(r: ChaosRecord, bounds: ReconcileBounds): string[] {
  const n = r.plan.rollouts.length;
  const out: string[] = [];
  if (r.reconciles.total > bounds.each * n) out.push(`${r.reconciles.total} reconciles for ${n} ModelDeployments (${(r.reconciles.total / n).toFixed(1)} each), at most ${bounds.each} each`);
  if (r.reconciles.tail > bounds.tailEach * n) out.push(`${r.reconciles.tail} reconciles in the ${r.reconciles.tailMs} ms after every rollout ended (${(r.reconciles.tail / n).toFixed(1)} each), at most ${bounds.tailEach} each`);
  return out;
}

function finalOf(r: ChaosRecord, name: string): FinalView | undefined {
  return r.final.find((md) => md.metadata.name === name);
}
