// Chaos, long form (`npm run test:chaos`, about 5 minutes): 20 concurrent Canary rollouts of
// three steps, started over a minute, with analysis and rollout webhooks (some ConfirmPromotion
// hooks refusing once), under 14 seeded faults over two minutes — operator SIGKILLs, API server
// restarts, etcd compactions, connection cuts. Same checks as the short form in
// test/integration/operator/chaos.test.ts (see test/support/chaos-checks.ts). The seed is
// printed; MDO_CHAOS_SEED replays it.
import { test } from "node:test";
import { runChaos } from "../support/chaos-run.ts";

test("twenty rollouts end as their analysis and hooks dictate under fourteen faults", { timeout: 900_000 }, async () => {
  await runChaos({
    prefix: "chaos-long",
    shape: { count: 20, weights: [10, 30, 60], faults: 14, faultWindowMs: 120_000, startSpreadMs: 60_000, confirmRefusals: true },
    outcomeTimeoutMs: 480_000,
    quietMs: 30_000,
    // Measured: 17.1–21.0 per ModelDeployment in seeds 3, 1039429701 over the run (each operator restart and
    // API server restart reconciles everything once more), 0 in the quiet tail. A loop at the
    // reconciler's shortest requeue (500 ms) would be over 100 each in a minute; 60 leaves the
    // faults' share room to vary, and 2 in the tail allows one stray event each.
    bounds: { each: 60, tailEach: 2 },
  });
});
