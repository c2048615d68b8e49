// Generated specs the API server accepts, given to the real operator (kwok pods): each one must
// end Ready or Stalled with a reason — never stuck in between, never crashing the operator, never
// reconciled in a loop. The seed is printed; MDO_FUZZ_SEED replays it.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { parseModelDeployment } from "../../../src/api/parse.ts";
import { MODEL_DEPLOYMENTS } from "../../../src/controllers/modeldeployment/resource.ts";
import { KubeClient } from "../../../src/runtime/client/kube-client.ts";
import { Resources, resourcePath } from "../../../src/runtime/client/resource.ts";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { waitFor } from "../../support/cluster.ts";
import { condition, scrape, sumMetric, type MdepView } from "../../support/mdep.ts";
import { useTestOperator } from "../../support/operator.ts";
import { arbitraryCase } from "../../support/spec-fuzz.ts";

const COUNT = 40;
const SEED = Number(process.env.MDO_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Reconciles per ModelDeployment while they settle and for 30 s after: a loop would be hundreds. */
const MAX_RECONCILES_EACH = 25;
const fx = useTestOperator("fuzz-op");

/**
 * Done deciding: Ready; Stalled with a reason; or waiting on the cluster's capacity, which only the
 * cluster can change (Ready=False Unschedulable says which pod and what to lower or add: the kwok
 * node here has room for a few dozen of the examples' CPU requests).
 */
const settled = (md: MdepView): boolean =>
  md.status?.observedGeneration === md.metadata.generation
  && (condition(md, "Ready")?.status === "True"
    || (condition(md, "Stalled")?.status === "True" && (condition(md, "Stalled")?.reason ?? "") !== "")
    || condition(md, "Ready")?.reason === "Unschedulable");

test(`${COUNT} generated specs the API accepts each end Ready or Stalled with a reason, without a reconcile loop (seed ${SEED})`, async () => {
  console.log(`[fuzz] seed ${SEED} (replay: MDO_FUZZ_SEED=${SEED})`);
  const client = new KubeClient(new KubeTransport(await loadClusterAccess({ kubeconfig: fx.cluster.kubeconfigPath })));
  try {
    const accepted = fc.sample(arbitraryCase(), { numRuns: COUNT * 20, seed: SEED })
      .filter((c) => parseModelDeployment(c.manifest).ok)
      .slice(0, COUNT);
    assert.equal(accepted.length, COUNT, "enough accepted specs were generated");
    // The Secrets the specs reference exist, so they get past the Secret check to the rest.
    const secrets = new Map<string, Set<string>>();
    const claims = new Set<string>();
    for (const c of accepted) references(c.manifest, secrets, claims);
    for (const [name, keys] of secrets) {
      await client.transport.request({ verb: "POST", path: resourcePath(Resources.secrets, fx.ns), body: {
        apiVersion: "v1", kind: "Secret", metadata: { name, namespace: fx.ns }, stringData: Object.fromEntries([...keys].map((k) => [k, "x"])),
      } });
    }
    // Claims are left missing: a pvc:// model then stalls (PersistentVolumeClaimNotFound); an
    // unbound claim would leave its pods unschedulable, which says less.
    const before = sumMetric(await scrape(fx.operator.healthAddress), "mdo_reconcile_total");
    for (const [i, c] of accepted.entries()) {
      const object = { ...c.manifest, metadata: { name: `fuzz-${i}`, namespace: fx.ns } };
      await client.transport.request({ verb: "POST", path: resourcePath(MODEL_DEPLOYMENTS, fx.ns), query: { fieldValidation: "Strict" }, body: object });
    }
    let last: MdepView[] = [];
    try {
      await waitFor("every generated ModelDeployment Ready or Stalled", 120_000, async () => {
        last = (await client.list<MdepView & { metadata: { name: string } }>(MODEL_DEPLOYMENTS, { namespace: fx.ns })).items;
        return last.length === COUNT && last.every(settled);
      });
    } finally {
      const outcomes = new Map<string, number>();
      for (const md of last) {
        const key = condition(md, "Ready")?.status === "True" ? "Ready"
          : condition(md, "Stalled")?.status === "True" ? `Stalled ${condition(md, "Stalled")?.reason ?? "?"}` : `Ready=False ${condition(md, "Ready")?.reason ?? "?"}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
      console.log(`[fuzz] outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
      for (const md of last.filter((m) => !settled(m))) {
        const i = Number(md.metadata.name.replace("fuzz-", ""));
        console.log(`[fuzz] unsettled ${md.metadata.name}: changes ${JSON.stringify(accepted[i]?.changes)}; conditions ${JSON.stringify(md.status?.conditions)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 30_000));
    const reconciles = sumMetric(await scrape(fx.operator.healthAddress), "mdo_reconcile_total") - before;
    console.log(`[fuzz] ${reconciles} reconciles for ${COUNT} ModelDeployments (settle + 30 s)`);
    assert.ok(reconciles <= COUNT * MAX_RECONCILES_EACH, `no reconcile loop: ${reconciles} reconciles, at most ${COUNT * MAX_RECONCILES_EACH}`);
  } finally {
    // Their pods hold the kwok node's CPU: later test files need it back.
    await fx.cluster.kubectl(["delete", "modeldeployments", "--all", "-n", fx.ns, "--wait=true", "--timeout=60s"]);
    await waitFor("the generated ModelDeployments' pods gone", 60_000, async () =>
      (await client.list(Resources.pods, { namespace: fx.ns })).items.length === 0);
    client.transport.close();
  }
});

/** Secret names (with the keys asked for) in any `...SecretRef`, and claims of pvc:// URIs, in `value`. */
function references(value: unknown, secrets: Map<string, Set<string>>, claims: Set<string>): void {
  if (typeof value === "string") {
    const claim = /^pvc:\/\/([a-z0-9-]+)/.exec(value)?.[1];
    if (claim !== undefined) claims.add(claim);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    const ref = item as { name?: unknown; key?: unknown } | null;
    if (key.endsWith("SecretRef") && ref !== null && typeof ref === "object" && typeof ref.name === "string" && /^[a-z0-9-]{1,63}$/.test(ref.name)) {
      const keys = secrets.get(ref.name) ?? new Set<string>();
      keys.add(typeof ref.key === "string" && ref.key !== "" ? ref.key : "key");
      for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "service-account.json", "username", "password", "token"]) keys.add(k);
      secrets.set(ref.name, keys);
    }
    references(item, secrets, claims);
  }
}
