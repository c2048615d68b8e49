import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BuildError, buildChildren, buildDeployment, buildHorizontalPodAutoscaler, buildNetworkPolicy, buildPodDisruptionBudget,
  ownerReference,
} from "../../../src/controllers/modeldeployment/builders/index.ts";
import { UID, contextFor, loadExample, modelDeployment } from "./fixtures.ts";

const autoscaled = modelDeployment((i) => {
  i.spec.replicas = undefined;
  i.spec.autoscaling = { minReplicas: 1, maxReplicas: 4, targetCPUUtilization: 60 };
});

describe("Deployment", () => {
  it("is named and selected per revision, keeps replicas from spec.replicas", () => {
    const ctx = contextFor(modelDeployment());
    const d = buildDeployment(ctx);
    assert.equal(d.metadata?.name, `fraud-${ctx.revision}`);
    assert.equal(d.spec?.replicas, 2);
    assert.deepEqual(d.spec?.selector.matchLabels, {
      "mdo.dev/model-deployment": "fraud", "app.kubernetes.io/component": "model-server", "mdo.dev/revision": ctx.revision,
    });
    for (const [key, value] of Object.entries(d.spec?.selector.matchLabels ?? {})) {
      assert.equal(d.spec?.template.metadata?.labels?.[key], value, `pods carry selector label ${key}`);
    }
    assert.deepEqual(d.spec?.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
    assert.equal(d.spec?.revisionHistoryLimit, 2);
    assert.equal(d.spec?.progressDeadlineSeconds, undefined, "no rollout, Kubernetes' default");
    assert.equal(d.metadata?.labels?.["mdo.dev/model-version"], "v7");
  });

  it("leaves replicas to the HPA under autoscaling", () => {
    const d = buildDeployment(contextFor(autoscaled));
    assert.equal(d.spec !== undefined && "replicas" in d.spec, false);
  });

  it("keeps replicas: 0", () => {
    assert.equal(buildDeployment(contextFor(modelDeployment((i) => { i.spec.replicas = 0; }))).spec?.replicas, 0);
  });

  it("takes progressDeadlineSeconds from spec.rollout.progressDeadline", () => {
    assert.equal(buildDeployment(contextFor(loadExample("sklearn-autoscaling.yaml"))).spec?.progressDeadlineSeconds, 900);
  });
});

describe("HorizontalPodAutoscaler", () => {
  it("scales its revision's Deployment on model-server CPU", () => {
    const ctx = contextFor(autoscaled);
    const hpa = buildHorizontalPodAutoscaler(ctx);
    assert.equal(hpa?.metadata?.name, `fraud-${ctx.revision}`);
    assert.equal(hpa?.metadata?.labels?.["mdo.dev/revision"], ctx.revision);
    assert.deepEqual(hpa?.spec, {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: `fraud-${ctx.revision}` },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [
        { type: "ContainerResource", containerResource: { name: "cpu", container: "model-server", target: { type: "Utilization", averageUtilization: 60 } } },
      ],
    });
    const spelledOut = modelDeployment((i) => {
      i.spec.replicas = undefined;
      i.spec.autoscaling = { minReplicas: 1, maxReplicas: 4, metric: "cpu", target: 60 };
    });
    assert.deepEqual(buildHorizontalPodAutoscaler(contextFor(spelledOut))?.spec, hpa?.spec, "metric cpu with target is the same HPA");
  });

  it("is null for concurrency and rps: the operator is their autoscaler", () => {
    for (const autoscaling of [{ metric: "concurrency" as const, target: 4 }, { metric: "rps" as const, target: 50 }, { targetRequestsPerSecond: 50 }]) {
      const md = modelDeployment((i) => {
        i.spec.replicas = undefined;
        i.spec.autoscaling = { minReplicas: 1, maxReplicas: 4, ...autoscaling };
      });
      assert.equal(buildHorizontalPodAutoscaler(contextFor(md)), null, JSON.stringify(autoscaling));
      assert.equal("hpa" in buildChildren(contextFor(md)), false);
    }
  });

  it("is null without autoscaling and absent from the children", () => {
    const ctx = contextFor(modelDeployment());
    assert.equal(buildHorizontalPodAutoscaler(ctx), null);
    assert.equal("hpa" in buildChildren(ctx), false);
  });
});

describe("PodDisruptionBudget", () => {
  const cases: [string, number | undefined, number | undefined, boolean][] = [
    ["1 replica", 1, undefined, false],
    ["0 replicas", 0, undefined, false],
    ["2 replicas", 2, undefined, true],
    ["autoscaling 1..1", undefined, 1, false],
    ["autoscaling 1..4", undefined, 4, true],
  ];
  for (const [what, replicas, max, expected] of cases) {
    it(`${expected ? "exists" : "does not exist"} with ${what}`, () => {
      const md = modelDeployment((i) => {
        i.spec.replicas = replicas;
        if (max !== undefined) i.spec.autoscaling = { minReplicas: 1, maxReplicas: max, targetCPUUtilization: 50 };
      });
      const pdb = buildPodDisruptionBudget(contextFor(md));
      assert.equal(pdb !== null, expected);
      if (pdb !== null) {
        assert.deepEqual(pdb.spec, {
          maxUnavailable: 1,
          selector: { matchLabels: { "mdo.dev/model-deployment": "fraud", "app.kubernetes.io/component": "model-server" } },
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        });
      }
    });
  }
});

describe("NetworkPolicy", () => {
  it("is null unless enabled", () => {
    assert.equal(buildNetworkPolicy(contextFor(modelDeployment())), null);
    assert.equal(buildNetworkPolicy(contextFor(modelDeployment((i) => { i.spec.networkPolicy = { enabled: false }; }))), null);
  });

  it("admits the agent's http port from the namespace and allowedNamespaces, metrics from any, nothing else", () => {
    const np = buildNetworkPolicy(contextFor(loadExample("custom-auth-cache.yaml")));
    assert.deepEqual(np?.spec.policyTypes, ["Ingress"]);
    assert.deepEqual(np?.spec.ingress, [
      {
        from: [
          { podSelector: {} },
          { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["web-frontend"] }] } },
        ],
        ports: [{ protocol: "TCP", port: "http" }],
      },
      { from: [{ namespaceSelector: {} }], ports: [{ protocol: "TCP", port: "metrics" }] },
    ]);
    const ports = np?.spec.ingress?.flatMap((rule) => rule.ports?.map((p) => String(p.port)) ?? []) ?? [];
    assert.equal(ports.includes("server-http"), false);
    assert.equal(ports.includes("8081"), false);
  });
});

describe("metadata of every child", () => {
  it("carries the controller owner reference, childLabels and the user's non-reserved labels", () => {
    const md = modelDeployment((i) => {
      i.metadata.labels = {
        team: "fraud",
        "app.kubernetes.io/part-of": "risk",
        "app.kubernetes.io/instance": "argo-app",
        "app.kubernetes.io/name": "spoofed",
        "mdo.dev/revision": "spoofed",
        "argocd.argoproj.io/instance": "x",
        "kustomize.toolkit.fluxcd.io/name": "x",
      };
      i.spec.networkPolicy = { enabled: true };
    });
    const children = buildChildren(contextFor(md));
    assert.deepEqual(Object.keys(children).sort(), ["configMap", "deployment", "networkPolicy", "pdb", "service"]);
    const objects = [children.configMap, children.service, children.deployment, children.pdb, children.networkPolicy];
    for (const child of objects) {
      assert.ok(child !== undefined);
      const meta = child.metadata;
      assert.equal(meta?.namespace, "ml");
      assert.deepEqual(meta?.ownerReferences, [
        { apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", name: "fraud", uid: UID, controller: true, blockOwnerDeletion: true },
      ]);
      const labels = meta?.labels ?? {};
      assert.equal(labels.team, "fraud");
      assert.equal(labels["app.kubernetes.io/part-of"], "risk");
      assert.equal(labels["app.kubernetes.io/name"], "fraud");
      assert.equal(labels["app.kubernetes.io/managed-by"], "mdo");
      assert.equal(labels["mdo.dev/model-deployment"], "fraud");
      for (const key of ["app.kubernetes.io/instance", "argocd.argoproj.io/instance", "kustomize.toolkit.fluxcd.io/name"]) {
        assert.equal(labels[key], undefined, `${key} is not copied`);
      }
      assert.notEqual(labels["mdo.dev/revision"], "spoofed");
      assert.equal(meta?.annotations, undefined);
      assert.equal("status" in child, false);
    }
  });

  it("needs the ModelDeployment's uid", () => {
    const md = modelDeployment((i) => { i.metadata.uid = undefined; });
    assert.throws(() => ownerReference(md), (e: unknown) => e instanceof BuildError && e.reason === "MissingMetadata");
  });
});
