// The Gateway API CRDs (standard channel, pinned in tools/gateway-api) for the test cluster.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadAll } from "js-yaml";
import type { KubectlResult } from "../../src/sandbox/kubectl.ts";
import { runProjectScript } from "../../src/sandbox/project-script.ts";

/** Runs kubectl against the cluster (LocalControlPlane.kubectl or TestCluster.kubectl). */
type Kubectl = (args: string[]) => Promise<KubectlResult>;

/** The directory of the standard-channel CRD YAMLs, from scripts/gateway-api-crds (stderr passed through). */
export async function gatewayApiCrdsDir(): Promise<string> {
  const [dir] = await runProjectScript("gateway-api-crds");
  if (dir === undefined) throw new Error("scripts/gateway-api-crds printed no directory");
  return dir;
}

interface Crd {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Names of the CustomResourceDefinitions in the YAML files of `dir`. */
async function crdNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort()) {
    for (const doc of loadAll(await readFile(join(dir, file), "utf8")) as ({ kind?: string; metadata?: { name?: string } } | null)[]) {
      if (doc?.kind === "CustomResourceDefinition" && doc.metadata?.name !== undefined) names.push(doc.metadata.name);
    }
  }
  return names;
}

/**
 * Applies every manifest of `dir` server-side (the CRDs and the safe-upgrades admission policy
 * they ship with) and waits until each CRD is Established. Throws with kubectl's message.
 */
export async function installGatewayApiCrds(kubectl: Kubectl, dir: string, timeoutMs = 60_000): Promise<string[]> {
  const applied = await kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=mdo-test", "-f", dir]);
  if (applied.code !== 0) throw new Error(`kubectl apply -f ${dir}: ${applied.stderr.trim()}`);
  const names = await crdNames(dir);
  const deadline = Date.now() + timeoutMs;
  let pending = names;
  while (Date.now() < deadline) {
    const got = await kubectl(["get", "crd", ...pending, "-o", "json"]);
    if (got.code === 0) {
      // One name gives the object itself, several a List.
      const answer = JSON.parse(got.stdout) as Crd & { items?: Crd[] };
      const established = new Set((answer.items ?? [answer])
        .filter((crd) => crd.status?.conditions?.some((c) => c.type === "Established" && c.status === "True"))
        .map((crd) => crd.metadata.name));
      pending = pending.filter((name) => !established.has(name));
      if (pending.length === 0) return names;
    }
    await sleep(200);
  }
  throw new Error(`Gateway API CRDs not Established within ${timeoutMs} ms: ${pending.join(", ")}`);
}
