// Every example ModelDeployment, reconciled by the real operator on the real control plane:
// children with owner references and MDO labels, Ready pods, `kubectl wait --for=condition=Ready`,
// and an observedGeneration that is the object's own generation — in a namespace that enforces
// the restricted Pod Security Standard.
import { strict as assert } from "node:assert";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { load as loadYaml } from "js-yaml";
import { createNamespace, kubectlOk, sharedCluster, type TestCluster } from "../../support/cluster.ts";
import { startTestOperator, type TestOperator } from "../../support/operator.ts";

interface Manifest {
  metadata: { name: string };
  spec: {
    replicas?: number;
    autoscaling?: unknown;
    resources?: unknown;
    nodeSelector?: Record<string, string>;
    model: { uri: string; storageSecretRef?: { name: string } };
    serving?: { auth?: { apiKeySecretRef?: { name: string; key?: string } } };
  };
}

interface Child {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[] };
}

const EXAMPLES = "examples";
let cluster: TestCluster;
let ns: string;
let operator: TestOperator;

before(async () => {
  cluster = await sharedCluster();
  ns = await createNamespace(cluster, "examples");
  // Every pod MDO creates must pass the restricted Pod Security Standard: enforce it here.
  await kubectlOk(cluster, ["label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/warn=restricted"]);
  operator = await startTestOperator(cluster, ns);
});
after(async () => {
  await operator.stop();
});

/** A claim for pvc:// models, bound to a PersistentVolume the test provides (the cluster has no provisioner). */
async function createClaim(m: Manifest): Promise<void> {
  const match = /^pvc:\/\/([^/]+)/.exec(m.spec.model.uri);
  if (match === null) return;
  const claim = match[1]!;
  const volume = `${ns}-${claim}`;
  const objects = [
    { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: volume },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadOnlyMany"], storageClassName: "", hostPath: { path: `/models/${claim}` },
        claimRef: { namespace: ns, name: claim } } },
    { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: claim, namespace: ns },
      spec: { accessModes: ["ReadOnlyMany"], storageClassName: "", volumeName: volume, resources: { requests: { storage: "1Gi" } } } },
  ];
  await kubectlOk(cluster, ["apply", "-f", "-"], objects.map((o) => JSON.stringify(o)).join("\n"));
}

/** Secrets the example refers to, with placeholder content (never real credentials); examples may share one. */
async function createReferencedSecrets(m: Manifest): Promise<void> {
  const storage = m.spec.model.storageSecretRef?.name;
  if (storage !== undefined) {
    await applySecret(storage, ["--from-literal=AWS_ACCESS_KEY_ID=placeholder", "--from-literal=AWS_SECRET_ACCESS_KEY=placeholder"]);
  }
  const auth = m.spec.serving?.auth?.apiKeySecretRef;
  if (auth !== undefined) {
    await applySecret(auth.name, [`--from-literal=${auth.key ?? "api-key"}=placeholder-key`]);
  }
}

async function applySecret(name: string, literals: string[]): Promise<void> {
  const secret = await kubectlOk(cluster, ["create", "secret", "generic", name, "-n", ns, ...literals, "--dry-run=client", "-o", "json"]);
  await kubectlOk(cluster, ["apply", "-f", "-"], secret);
}

for (const file of (await readdir(EXAMPLES)).filter((f) => f.endsWith(".yaml")).sort()) {
  test(`example ${file} becomes Ready with owned children`, async () => {
    const text = await readFile(join(EXAMPLES, file), "utf8");
    const manifest = loadYaml(text) as Manifest;
    const name = manifest.metadata.name;
    await createReferencedSecrets(manifest);
    await createClaim(manifest);
    // The test cluster's one kwok Node stands in for the node pool an example selects (e.g. GPUs).
    for (const [key, value] of Object.entries(manifest.spec.nodeSelector ?? {})) {
      await kubectlOk(cluster, ["label", "node", cluster.state.nodeName, `${key}=${value}`, "--overwrite"]);
    }
    await kubectlOk(cluster, ["apply", "--server-side", "-n", ns, "-f", join(EXAMPLES, file)]);
    await kubectlOk(cluster, ["wait", "--for=condition=Ready", `mdep/${name}`, "-n", ns, "--timeout=90s"]);

    const md = JSON.parse(await kubectlOk(cluster, ["get", "mdep", name, "-n", ns, "-o", "json"])) as {
      metadata: { uid: string; generation: number };
      status: { observedGeneration: number; phase: string; readyReplicas: number; url: string; defaults?: { replicas?: number; resources?: unknown } };
    };
    assert.equal(md.status.observedGeneration, md.metadata.generation);
    // What the spec left out and the operator filled in is in status (the minimal example has no more than a model).
    const unscaled = manifest.spec.replicas === undefined && manifest.spec.autoscaling === undefined;
    assert.equal(md.status.defaults?.replicas, unscaled ? 1 : undefined, "status.defaults.replicas");
    if (manifest.spec.resources === undefined) {
      assert.deepEqual(md.status.defaults?.resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } }, "status.defaults.resources");
    }
    assert.equal(md.status.phase, "Ready");
    assert.ok(md.status.readyReplicas >= 1);

    const children = JSON.parse(await kubectlOk(cluster, [
      "get", "deployments,services,configmaps,hpa,pdb,networkpolicies", "-n", ns, "-l", `mdo.dev/model-deployment=${name}`, "-o", "json",
    ])) as { items: Child[] };
    const kinds = new Set(children.items.map((c) => c.kind));
    for (const kind of ["Deployment", "Service", "ConfigMap"]) assert.ok(kinds.has(kind), `${name} has a ${kind}`);
    for (const child of children.items) {
      const owner = child.metadata.ownerReferences?.find((o) => o.controller === true);
      assert.equal(owner?.uid, md.metadata.uid, `${child.kind} ${child.metadata.name} is controlled by ${name}`);
      assert.equal(child.metadata.labels?.["app.kubernetes.io/managed-by"], "mdo");
    }
    const pods = JSON.parse(await kubectlOk(cluster, ["get", "pods", "-n", ns, "-l", `mdo.dev/model-deployment=${name}`, "-o", "json"])) as {
      items: { status: { conditions?: { type: string; status: string }[] } }[];
    };
    assert.ok(pods.items.length >= 1);
    for (const pod of pods.items) assert.equal(pod.status.conditions?.find((c) => c.type === "Ready")?.status, "True");
  });
}
