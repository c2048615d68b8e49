import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyRoute, isDeterministicRoute, isPredictionRoute } from "../../../src/agent/routes.ts";

describe("classifyRoute", () => {
  const cases: [string, string, ReturnType<typeof classifyRoute>][] = [
    ["POST", "/v2/models/iris/infer", { route: "infer", model: "iris" }],
    ["POST", "/v2/models/iris/versions/3/infer", { route: "infer", model: "iris", version: "3" }],
    ["GET", "/v2/models/iris/infer", { route: "other" }],
    ["GET", "/v2/health/live", { route: "health" }],
    ["GET", "/v2/health/ready", { route: "health" }],
    ["GET", "/v2/models/iris/ready", { route: "health", model: "iris" }],
    ["GET", "/v2/models/iris/versions/3/ready", { route: "health", model: "iris", version: "3" }],
    ["GET", "/v2/models/iris", { route: "metadata", model: "iris" }],
    ["HEAD", "/v2/models/iris/versions/3", { route: "metadata", model: "iris", version: "3" }],
    ["GET", "/v2", { route: "metadata" }],
    ["POST", "/v2/repository/index", { route: "other" }],
    ["POST", "/v2/models//infer", { route: "other" }],
    ["POST", "/v2/models/iris/versions//infer", { route: "other" }],
    ["POST", "/v2/models/iris/infer/extra", { route: "other" }],
    ["POST", "/v1/models/iris:predict", { route: "predict", model: "iris" }],
    ["POST", "/v1/models/iris/versions/2:predict", { route: "predict", model: "iris", version: "2" }],
    ["POST", "/v1/models/iris:explain", { route: "other" }],
    ["GET", "/v1/models/iris", { route: "metadata", model: "iris" }],
    ["GET", "/v1/models", { route: "metadata" }],
    ["POST", "/v1/chat/completions", { route: "chat" }],
    ["POST", "/v1/completions", { route: "completions" }],
    ["POST", "/v1/embeddings", { route: "embeddings" }],
    ["GET", "/v1/chat/completions", { route: "other" }],
    ["GET", "/", { route: "other" }],
    ["PUT", "/anything/else", { route: "other" }],
  ];
  for (const [method, path, expected] of cases) {
    it(`${method} ${path} → ${expected.route}`, () => assert.deepEqual(classifyRoute(method, path), expected));
  }
});

describe("route properties", () => {
  it("caches only v2 infer and v1 predict", () => {
    assert.deepEqual(
      (["infer", "predict", "chat", "completions", "embeddings", "health", "metadata", "other"] as const).filter(isDeterministicRoute),
      ["infer", "predict"],
    );
  });
  it("observes drift on every route that carries model inputs", () => {
    assert.equal(isPredictionRoute("chat"), true);
    assert.equal(isPredictionRoute("health"), false);
    assert.equal(isPredictionRoute("other"), false);
  });
});
