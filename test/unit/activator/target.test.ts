// The Host forms that name a ModelDeployment, and the ones that don't.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTarget, targetKey } from "../../../src/activator/target.ts";

const options = { defaultNamespace: "default" };

describe("parseTarget", () => {
  it("reads every Service form, with or without a port", () => {
    const cases: [string, string][] = [
      ["iris", "default/iris"],
      ["iris:8080", "default/iris"],
      ["iris.ml", "ml/iris"],
      ["iris.ml:80", "ml/iris"],
      ["iris.ml.svc", "ml/iris"],
      ["iris.ml.svc.cluster.local", "ml/iris"],
      ["iris.ml.svc.cluster.local:8080", "ml/iris"],
      ["iris.ml.svc.cluster.local.", "ml/iris"],
      ["IRIS.ML.SVC", "ml/iris"],
      ["fraud-v2.team-a.svc", "team-a/fraud-v2"],
    ];
    for (const [host, key] of cases) {
      const target = parseTarget(host, options);
      assert.ok(target !== undefined, host);
      assert.equal(targetKey(target), key, host);
    }
  });

  it("uses the configured cluster domain", () => {
    assert.equal(parseTarget("iris.ml.svc.corp.internal", { ...options, clusterDomain: "corp.internal" })?.name, "iris");
    assert.equal(parseTarget("iris.ml.svc.cluster.local", { ...options, clusterDomain: "corp.internal" }), undefined);
  });

  it("names no target for other forms", () => {
    for (const host of [
      undefined, "", ":80", "iris.ml.svc.example.com", "iris.ml.pod", "iris.ml.svc.cluster", "127.0.0.1", "127.0.0.1:8080",
      "[::1]:8080", "iris:port", "iris:", "-iris", "iris_1.ml", "iris..ml", "a.b.c.d.e.f", `${"a".repeat(64)}.ml`,
    ]) {
      assert.equal(parseTarget(host, options), undefined, String(host));
    }
  });
});
