// Readings of a finished rollout scenario: the analysis verdicts the operator showed in
// status.canary.analysis.checks (one per analysed interval, from a watch of every version), and
// the Events it recorded.
import type { TestCluster } from "../../../support/cluster.ts";
import { eventMessages, type RolloutMdepView } from "../../../support/rollout.ts";

/** One check's verdict in one analysed interval, as status showed it. */
export interface ShownCheck {
  evaluatedAt: string;
  status: string;
  value?: number;
  reason: string;
  message: string;
}

/** Per check name, the verdicts shown for `canary`, one per analysed interval, oldest first. */
export function checksSeen(versions: readonly RolloutMdepView[], canary: string): Record<string, ShownCheck[]> {
  const out: Record<string, ShownCheck[]> = {};
  const seen = new Set<string>();
  for (const md of versions) {
    const analysis = md.status?.canary?.revision === canary ? md.status.canary.analysis as { evaluatedAt?: string; checks?: Omit<ShownCheck, "evaluatedAt">[] } | undefined : undefined;
    if (analysis?.checks === undefined || analysis.evaluatedAt === undefined || seen.has(analysis.evaluatedAt)) continue;
    seen.add(analysis.evaluatedAt);
    for (const c of analysis.checks as (Omit<ShownCheck, "evaluatedAt"> & { name: string })[]) {
      (out[c.name] ??= []).push({ evaluatedAt: analysis.evaluatedAt, status: c.status, ...(c.value === undefined ? {} : { value: c.value }), reason: c.reason, message: c.message });
    }
  }
  return out;
}

/** Messages of the Events about `name`, by reason, for each of `reasons`. */
export async function eventsAbout(cluster: TestCluster, ns: string, name: string, reasons: readonly string[]): Promise<Record<string, string[]>> {
  return Object.fromEntries(await Promise.all(reasons.map(async (r) => [r, await eventMessages(cluster, ns, name, r)] as const)));
}

/** When the rollout started: step 0's start (status.rollout.stepStartedAt of a version at step 0). */
export function rolloutStartedMs(md: RolloutMdepView): number {
  const rollout = md.status?.rollout;
  if (rollout?.step !== 0 || rollout.stepStartedAt === undefined) throw new Error(`not at the first step of a rollout: ${JSON.stringify(rollout)}`);
  return Date.parse(rollout.stepStartedAt);
}

/** The number in `message` after `prefix` (e.g. "success rate "), or NaN. */
export function numberAfter(message: string, prefix: string): number {
  const at = message.indexOf(prefix);
  if (at < 0) return Number.NaN;
  const match = /^-?\d+(\.\d+)?(e-?\d+)?/.exec(message.slice(at + prefix.length));
  return match === null ? Number.NaN : Number(match[0]);
}
