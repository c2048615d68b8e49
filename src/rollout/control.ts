// Manual commands (annotations) applied to the rollout state. Every new command is acknowledged,
// whether it applies or not, with an Event saying what it did.
import type { Command } from "./commands.ts";
import { newCommands } from "./commands.ts";
import type { RolloutState } from "./state.ts";
import type { Context } from "./context.ts";
import { advance, beginPromotion, rollback, startRollout } from "./transitions.ts";

const REQUESTED: Record<Command["kind"], string> = {
  retry: "RetryRequested",
  promote: "PromoteRequested",
  pause: "PauseRequested",
  resume: "ResumeRequested",
  abort: "AbortRequested",
};

/**
 * Applies the commands not acknowledged yet, in the order retry, promote, pause, resume, abort.
 * - retry: a rolled-back revision starts again from the first step, failures reset;
 * - promote: completes the current canary step now (the next step, or promotion after the last),
 *   or switches a blue-green preview; it also ends a person's pause;
 * - pause / resume: hold or release the rollout; analysis keeps running while paused;
 * - abort: rolls back (outcome Aborted, not a failure).
 * A command that does not apply (e.g. abort with no rollout) is acknowledged and ignored with a
 * CommandIgnored Event.
 */
export function applyCommands(s: RolloutState, ctx: Context, commands: readonly Command[]): void {
  for (const command of newCommands(commands, s.acknowledged)) {
    s.acknowledged = { ...s.acknowledged, [command.kind]: command.id };
    const refusal = apply(s, ctx, command);
    ctx.events.push(refusal === undefined
      ? { type: "Normal", reason: REQUESTED[command.kind], message: `Acknowledged ${command.kind} (id ${command.id})` }
      : { type: "Normal", reason: "CommandIgnored", message: `Ignored ${command.kind} (id ${command.id}): ${refusal}` });
  }
}

/** Applies one command; returns why it does not apply, or undefined when it did. */
function apply(s: RolloutState, ctx: Context, command: Command): string | undefined {
  const inRollout = s.phase === "Progressing" || s.phase === "Promoting";
  switch (command.kind) {
    case "retry":
      if (s.phase !== "RolledBack" || s.canary === undefined) return `nothing to retry in phase ${s.phase}`;
      startRollout(s, ctx, s.canary);
      return undefined;
    case "promote":
      if (s.phase !== "Progressing") return `nothing to promote in phase ${s.phase}`;
      if (ctx.policy.strategy === "Rolling") return "a Rolling update promotes itself when its replicas are ready";
      s.pausedByPerson = false;
      if (ctx.policy.strategy === "BlueGreen") beginPromotion(s, ctx, `promoted by a person (id ${command.id})`);
      else advance(s, ctx, `promoted by a person (id ${command.id})`);
      return undefined;
    case "pause":
      if (!inRollout) return `no rollout to pause in phase ${s.phase}`;
      if (s.pausedByPerson) return "already paused";
      s.pausedByPerson = true;
      return undefined;
    case "resume":
      if (!s.pausedByPerson) return "not paused";
      s.pausedByPerson = false; // a paused rollout has no blockedSince: the deadline clock restarts now
      return undefined;
    case "abort":
      if (!inRollout) return `no rollout to abort in phase ${s.phase}`;
      rollback(s, ctx, "Aborted", `aborted by a person (id ${command.id})`, "Aborted");
      return undefined;
  }
}
