import { strict as assert } from "node:assert";
import { test } from "node:test";
import { CatalogConfigError, RuntimeCatalog, RuntimeResolutionError } from "../../../src/catalog/catalog.ts";

const catalog = RuntimeCatalog.builtin();

test("each format resolves to its default runtime", () => {
  assert.equal(catalog.resolve("sklearn", "v2").name, "mlserver");
  assert.equal(catalog.resolve("xgboost", "v2").name, "mlserver");
  assert.equal(catalog.resolve("onnx", "v2").name, "triton");
  assert.equal(catalog.resolve("tensorrt", "v2").name, "triton");
  assert.equal(catalog.resolve("mlflow", "v2").name, "mlserver");
  assert.equal(catalog.resolve("tensorflow", "v1").name, "tensorflow-serving");
  assert.equal(catalog.resolve("huggingface", "openai").name, "vllm");
  assert.equal(catalog.resolve("custom", "raw").name, "custom");
});

test("an unknown runtime, an unserved format or an unspoken protocol is an error, never a fallback", () => {
  assert.throws(() => catalog.resolve("sklearn", "v2", "nope"), (e: unknown) =>
    e instanceof RuntimeResolutionError && e.reason === "UnknownRuntime" && /mlserver/.test(e.message));
  assert.throws(() => catalog.resolve("onnx", "v2", "mlserver"), (e: unknown) =>
    e instanceof RuntimeResolutionError && e.reason === "UnsupportedFormat");
  assert.throws(() => catalog.resolve("sklearn", "openai"), (e: unknown) =>
    e instanceof RuntimeResolutionError && e.reason === "UnsupportedProtocol");
});

test("overrides replace fields of a built-in entry and add new entries", () => {
  const custom = RuntimeCatalog.withOverrides([
    { name: "mlserver", image: "registry.internal/mlserver:1.7.1" },
    { name: "my-server", image: "registry.internal/srv:1", formats: ["onnx"], protocols: ["v2"], port: 9000, readinessPath: "/ready", livenessPath: "/live" },
  ]);
  assert.equal(custom.get("mlserver")?.image, "registry.internal/mlserver:1.7.1");
  assert.equal(custom.get("mlserver")?.port, 8081, "other fields kept");
  assert.deepEqual(custom.get("mlserver")?.defaultFor, ["sklearn", "xgboost", "lightgbm", "mlflow"], "defaulted fields are not reset");
  assert.ok((custom.get("mlserver")?.env.length ?? 0) > 0, "env kept");
  assert.equal(custom.resolve("sklearn", "v2").image, "registry.internal/mlserver:1.7.1");
  assert.equal(custom.resolve("onnx", "v2", "my-server").port, 9000);
});

test("invalid overrides are rejected with the field named", () => {
  assert.throws(() => RuntimeCatalog.withOverrides([{ name: "mlserver", port: 80 }]), (e: unknown) =>
    e instanceof CatalogConfigError && /port/.test(e.message));
  assert.throws(() => RuntimeCatalog.withOverrides([{ name: "new-one", image: "x" }]), CatalogConfigError);
});

test("each built-in runtime names the layout mdo fetch gives its files; an added runtime defaults to none", () => {
  const layouts = Object.fromEntries(catalog.names().map((name) => [name, catalog.get(name)?.layout]));
  assert.deepEqual(layouts, {
    custom: "none", mlserver: "mlserver", "tensorflow-serving": "tensorflow-serving", torchserve: "torchserve", triton: "triton", vllm: "huggingface",
  });
  const added = RuntimeCatalog.withOverrides([
    { name: "my-server", image: "r/s:1", formats: ["onnx"], protocols: ["v2"], port: 9000, readinessPath: "/r", livenessPath: "/l" },
  ]);
  assert.equal(added.get("my-server")?.layout, "none");
  assert.throws(() => RuntimeCatalog.withOverrides([{ name: "mlserver", layout: "kserve" }]), (e: unknown) =>
    e instanceof CatalogConfigError && /layout/.test(e.message));
});
