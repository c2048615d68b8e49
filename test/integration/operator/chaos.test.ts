// Chaos, short form (issue 13): five concurrent Canary rollouts with analysis and rollout webhooks
// while, at seeded times, the operator process is SIGKILLed and started again, the kube-apiserver
// restarts, etcd is compacted and the operator's connections to the API server are cut. Each
// rollout must end as its seeded plan dictates — promoted, or rolled back by a failing analysis
// (a real Prometheus reading a gauge the test serves: kwok pods have no agents), a failing
// PreRollout hook or a Rollback hook answering yes — with every hook called as the operator
// promises (at least once, repeated only across a fault; see test/support/chaos-checks.ts), no
// ModelDeployment left Reconciling and no reconcile loop. The seed is printed; MDO_CHAOS_SEED
// replays it. The long form (20 rollouts, 14 faults) is `npm run test:chaos`.
import { test } from "node:test";
import { runChaos } from "../../support/chaos-run.ts";

test("five rollouts end as their analysis and hooks dictate while the operator is killed, the API server restarts, etcd compacts and watches are cut", { timeout: 240_000 }, async () => {
  await runChaos({
    prefix: "chaos",
    shape: { count: 5, weights: [20, 60], faults: 4, faultWindowMs: 35_000, startSpreadMs: 3_000, confirmRefusals: false },
    outcomeTimeoutMs: 120_000,
    quietMs: 10_000,
    // Measured: 14.6–25.4 per ModelDeployment in seeds 1, 2, 1039308299 over the run (each operator restart and
    // API server restart reconciles everything once more), 0 in the quiet tail. A loop at the
    // reconciler's shortest requeue (500 ms) would be over 100 each in a minute; 60 leaves the
    // faults' share room to vary, and 2 in the tail allows one stray event each.
    bounds: { each: 60, tailEach: 2 },
  });
});
