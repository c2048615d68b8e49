// What a chaos run prints: the seed and how to replay it, the plan, the faults as they happened,
// the hook calls per ModelDeployment and type, reconciles per object, and on failure each
// ModelDeployment's final status.rollout and conditions.
import type { ChaosRecord } from "./chaos-checks.ts";
import { WEBHOOK_TYPES } from "../../src/api/webhooks.ts";

export function summary(r: ChaosRecord): string {
  const n = r.plan.rollouts.length;
  const lines = [
    `seed ${r.plan.seed} (replay: MDO_CHAOS_SEED=${r.plan.seed}); ${n} Canary rollouts, steps ${r.plan.shape.weights.join("/")}%, analysis every ${r.intervalMs / 1000} s`,
    "faults (ms after the start: planned → started–ended):",
    ...r.faults.map((f) => `  ${f.kind.padEnd(17)} ${f.plannedMs} → ${f.startMs}–${f.endMs}: ${f.detail}`),
    `reconciles: ${r.reconciles.total} over the run (${(r.reconciles.total / n).toFixed(1)} per ModelDeployment), ${r.reconciles.tail} in the ${r.reconciles.tailMs / 1000} s after (${(r.reconciles.tail / n).toFixed(2)} each)`,
    `hook calls (${WEBHOOK_TYPES.join(" / ")}; 2xx answers in brackets):`,
  ];
  for (const plan of r.plan.rollouts) {
    const counts = WEBHOOK_TYPES.map((type) => {
      const calls = r.calls.filter((c) => c.name === plan.name && c.type === type);
      return `${calls.length} (${calls.filter((c) => c.status < 300).length})`;
    });
    const md = r.final.find((m) => m.metadata.name === plan.name);
    const extra = plan.verdict === "RollbackWebhook" ? ` at step ${plan.rollbackAtStep}`
      : plan.verdict === "Promoted" && plan.confirmRefusals > 0 ? `, ${plan.confirmRefusals} refusal` : "";
    lines.push(`  ${plan.name.padEnd(9)} ${`${plan.verdict}${extra}`.padEnd(34)} start +${plan.startAtMs} ms: ${counts.join(" / ")} → ${md?.status?.rollout?.phase ?? "?"} (${md?.status?.rollout?.reason ?? "?"})`);
  }
  return lines.join("\n");
}

/** Everything a failure needs to be understood without a rerun. */
export function details(r: ChaosRecord): string {
  const lines = ["final status of each ModelDeployment:"];
  for (const md of r.final) {
    lines.push(`  ${md.metadata.name}: stable ${JSON.stringify(md.status?.stable)}`);
    lines.push(`    rollout ${JSON.stringify(md.status?.rollout)}`);
    lines.push(`    conditions ${JSON.stringify(md.status?.conditions?.map((c) => `${c.type}=${c.status} ${c.reason ?? ""}: ${c.message ?? ""}`))}`);
    lines.push(`    history ${JSON.stringify(md.status?.history)}`);
    const samples = r.samples.get(md.metadata.name) ?? [];
    lines.push(`    status seen: ${samples.map((s) => `+${s.at - r.t0} ${s.phase}/${s.step}`).join(", ")}`);
    const calls = r.calls.filter((c) => c.name === md.metadata.name);
    lines.push(`    calls: ${calls.map((c) => `+${c.at - r.t0} ${c.type}(step ${c.step}) ${c.status}`).join(", ")}`);
  }
  return lines.join("\n");
}
