import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BuildError, buildAgentConfig, buildPodTemplate, buildService } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import { CATALOG, container, contextFor, loadExample, modelDeployment } from "./fixtures.ts";

const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
const DIGEST = `sha256:${"b".repeat(64)}`;
const MLSERVER = CATALOG.resolve("sklearn", "v2");

function isBuildError(reason: string) {
  return (e: unknown) => e instanceof BuildError && e.reason === reason && e.message.length > 20;
}

describe("GPUs", () => {
  it("gpu: N becomes an nvidia.com/gpu limit and a GPU toleration after the user's", () => {
    const md = modelDeployment((i) => {
      i.spec.resources = { gpu: 2 };
      i.spec.tolerations = [{ key: "pool", operator: "Equal", value: "ml", effect: "NoSchedule" }];
      i.spec.nodeSelector = { "node.kubernetes.io/instance-type": "g5.xlarge" };
    });
    const pod = buildPodTemplate(contextFor(md)).spec;
    assert.deepEqual(container(pod, "model-server").resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi", "nvidia.com/gpu": "2" } }, "the runtime's CPU and memory, the spec's GPUs");
    assert.deepEqual(pod?.tolerations, [{ key: "pool", operator: "Equal", value: "ml", effect: "NoSchedule" }, GPU_TOLERATION]);
    assert.deepEqual(pod?.nodeSelector, { "node.kubernetes.io/instance-type": "g5.xlarge" });
  });

  it("the GPU toleration is not repeated when the user wrote it", () => {
    const pod = buildPodTemplate(contextFor(loadExample("xgboost-drift-retrain.yaml"))).spec;
    assert.deepEqual(pod?.tolerations, [GPU_TOLERATION]);
  });

  it("no GPU, no toleration, no GPU resource", () => {
    for (const gpu of [undefined, 0]) {
      const pod = buildPodTemplate(contextFor(modelDeployment((i) => { i.spec.resources = { gpu }; }))).spec;
      assert.equal(pod?.tolerations, undefined);
      assert.deepEqual(container(pod, "model-server").resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } }, "the runtime's defaults only");
    }
  });
});

describe("model sources", () => {
  it("pvc:// mounts the claim read-only and runs no fetcher", () => {
    const md = modelDeployment((i) => { i.spec.model = { uri: "pvc://model-store/fraud/v7/", format: "sklearn" }; });
    const pod = buildPodTemplate(contextFor(md)).spec;
    assert.equal(pod?.initContainers, undefined);
    assert.deepEqual(pod?.volumes?.[0], { name: "model", persistentVolumeClaim: { claimName: "model-store", readOnly: true } });
    const server = container(pod, "model-server");
    assert.deepEqual(server.volumeMounts?.[0], { name: "model", mountPath: "/mnt/models", readOnly: true });
    assert.deepEqual(server.command, ["mlserver", "start", "/mnt/models/fraud/v7"]);
  });

  it("pvc:// with a digest verifies the claim's model instead of fetching it", () => {
    const md = modelDeployment((i) => { i.spec.model = { uri: "pvc://model-store/fraud", format: "sklearn", digest: DIGEST }; });
    const pod = buildPodTemplate(contextFor(md)).spec;
    assert.deepEqual(pod?.initContainers?.map((c) => [c.name, c.args, c.volumeMounts]), [
      ["model-verifier", ["verify", "--path=/mnt/models/fraud", `--digest=${DIGEST}`], [{ name: "model", mountPath: "/mnt/models", readOnly: true }]],
    ]);
  });

  it("a pvc:// path with .. is refused", () => {
    const md = modelDeployment((i) => { i.spec.model = { uri: "pvc://model-store/../etc", format: "sklearn" }; });
    assert.throws(() => buildPodTemplate(contextFor(md)), isBuildError("InvalidModelURI"));
  });

  for (const uri of ["s3://models/fraud/v7", "gs://models/fraud/v7", "oci://registry.example.com/models/fraud:v7", "https://example.com/fraud.tgz"]) {
    it(`${uri.split(":")[0]}:// is fetched into an emptyDir by the fetcher, laid out for the runtime`, () => {
      const md = modelDeployment((i) => { i.spec.model = { uri, format: "sklearn", version: "v7", digest: DIGEST, storageSecretRef: { name: "creds" } }; });
      const pod = buildPodTemplate(contextFor(md)).spec;
      assert.deepEqual(pod?.volumes?.slice(0, 2), [
        { name: "model", emptyDir: {} },
        { name: "storage-secret", secret: { secretName: "creds" } },
      ]);
      const fetcher = container(pod, "model-fetcher");
      assert.equal(fetcher.image, DEFAULT_SETTINGS.fetcherImage);
      assert.deepEqual(fetcher.args, [
        "fetch", `--uri=${uri}`, "--dest=/mnt/models/model", `--digest=${DIGEST}`, "--layout=mlserver", "--format=sklearn",
        "--model-name=fraud", "--model-version=v7", "--credentials-dir=/var/run/mdo/storage-secret", "--secret-name=creds",
      ]);
      assert.equal(fetcher.envFrom, undefined);
      assert.deepEqual(fetcher.volumeMounts, [
        { name: "model", mountPath: "/mnt/models" },
        { name: "storage-secret", mountPath: "/var/run/mdo/storage-secret", readOnly: true },
      ]);
      const server = container(pod, "model-server");
      assert.deepEqual(server.volumeMounts?.[0], { name: "model", mountPath: "/mnt/models", readOnly: true });
      assert.deepEqual(server.command, ["mlserver", "start", "/mnt/models/model"]);
      for (const c of [server, container(pod, "agent")]) {
        assert.equal(c.volumeMounts?.some((m) => m.name === "storage-secret"), false, `${c.name} does not mount the Secret`);
      }
    });
  }

  it("without a digest or a Secret the fetcher gets neither", () => {
    const md = modelDeployment((i) => { i.spec.model = { uri: "https://example.com/fraud.tgz", format: "xgboost" }; });
    const pod = buildPodTemplate(contextFor(md)).spec;
    const fetcher = container(pod, "model-fetcher");
    assert.deepEqual(fetcher.args, [
      "fetch", "--uri=https://example.com/fraud.tgz", "--dest=/mnt/models/model", "--layout=mlserver", "--format=xgboost",
      "--model-name=fraud", "--model-version=fraud.tgz",
    ]);
    assert.deepEqual(fetcher.volumeMounts, [{ name: "model", mountPath: "/mnt/models" }]);
    assert.equal(pod?.volumes?.some((v) => v.name === "storage-secret"), false);
  });
});

describe("model server", () => {
  it("fills the runtime's placeholders and tells any server where to find the model", () => {
    const server = container(buildPodTemplate(contextFor(modelDeployment())).spec, "model-server");
    assert.equal(server.image, "docker.io/seldonio/mlserver:1.7.1");
    assert.deepEqual(server.command, ["mlserver", "start", "/mnt/models/model"]);
    assert.deepEqual(server.env, [
      { name: "MDO_MODEL_DIR", value: "/mnt/models/model" },
      { name: "MDO_MODEL_NAME", value: "fraud" },
      { name: "MDO_HTTP_PORT", value: "8081" },
      { name: "MDO_GRPC_PORT", value: "8082" },
      { name: "MLSERVER_HOST", value: "127.0.0.1" },
      { name: "MLSERVER_HTTP_PORT", value: "8081" },
      { name: "MLSERVER_GRPC_PORT", value: "8082" },
      { name: "MLSERVER_MODEL_NAME", value: "fraud" },
      { name: "MLSERVER_METRICS_ENDPOINT" },
      { name: "MLSERVER_PARALLEL_WORKERS", value: "0" },
    ]);
    assert.deepEqual(server.ports, [{ name: "server-http", containerPort: 8081, protocol: "TCP" }]);
    assert.deepEqual(server.resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } });
  });

  it("spec.image overrides the runtime image", () => {
    const md = modelDeployment((i) => { i.spec.image = "registry.example.com/mlserver:custom"; });
    assert.equal(container(buildPodTemplate(contextFor(md)).spec, "model-server").image, "registry.example.com/mlserver:custom");
  });

  it("the model server's port is never on the Service", () => {
    const ctx = contextFor(modelDeployment());
    const service = buildService(ctx);
    assert.deepEqual(service.spec?.ports?.map((p) => [p.name, p.port, p.targetPort]), [["http", 80, "http"], ["metrics", 9090, "metrics"]]);
  });

  it("the custom runtime without spec.image is refused", () => {
    const md = modelDeployment((i) => { i.spec.model.runtime = "custom"; });
    assert.throws(() => buildPodTemplate(contextFor(md)), isBuildError("ImageRequired"));
  });

  it("an unknown placeholder or a missing grpcPort is refused", () => {
    const md = modelDeployment();
    for (const args of [["--model={{modelPath}}"], ["--grpc={{grpcPort}}"]]) {
      const runtime = { ...MLSERVER, args, grpcPort: undefined };
      assert.throws(() => buildPodTemplate({ md, runtime, settings: DEFAULT_SETTINGS, revision: "abc" }), isBuildError("InvalidRuntime"));
    }
  });

  it("a runtime port that clashes with the agent's is refused", () => {
    const md = modelDeployment();
    for (const runtime of [{ ...MLSERVER, port: DEFAULT_SETTINGS.agentPort }, { ...MLSERVER, grpcPort: DEFAULT_SETTINGS.agentMetricsPort }]) {
      assert.throws(() => buildPodTemplate({ md, runtime, settings: DEFAULT_SETTINGS, revision: "abc" }), isBuildError("PortConflict"));
    }
  });

  it("a scratch directory listed twice is refused", () => {
    const runtime = { ...MLSERVER, scratchDirs: ["/tmp", "/tmp/"] };
    assert.throws(() => buildPodTemplate({ md: modelDeployment(), runtime, settings: DEFAULT_SETTINGS, revision: "abc" }), isBuildError("InvalidRuntime"));
  });

  it("drift monitoring with the raw protocol is refused", () => {
    const md = modelDeployment((i) => {
      i.spec.model = { uri: "s3://m/x/v1", format: "custom" };
      i.spec.image = "registry.example.com/x:1";
      i.spec.protocol = "raw";
      i.spec.monitoring = { drift: { baselineRef: { configMapName: "base" } } };
    });
    assert.throws(() => contextFor(md), isBuildError("DriftUnsupported"));
  });
});

describe("agent", () => {
  it("is Ready only through /readyz, which follows the model server; mounts its config and the shadow settings read-only", () => {
    const agent = container(buildPodTemplate(contextFor(modelDeployment())).spec, "agent");
    assert.equal(agent.image, DEFAULT_SETTINGS.agentImage);
    assert.deepEqual(agent.args, ["agent", "--config=/etc/mdo/agent/config.json"]);
    assert.deepEqual(agent.ports, [
      { name: "http", containerPort: 8080, protocol: "TCP" },
      { name: "metrics", containerPort: 9090, protocol: "TCP" },
    ]);
    assert.deepEqual(agent.readinessProbe?.httpGet, { path: "/readyz", port: "http" });
    assert.deepEqual(agent.livenessProbe?.httpGet, { path: "/healthz", port: "http" });
    assert.deepEqual(agent.volumeMounts, [
      { name: "agent-config", mountPath: "/etc/mdo/agent", readOnly: true },
      { name: "shadow", mountPath: "/etc/mdo/shadow", readOnly: true },
    ]);
  });

  it("both serving containers keep running 5 s after termination starts (preStop sleep), so endpoints can drop them first", () => {
    const pod = buildPodTemplate(contextFor(modelDeployment())).spec;
    for (const name of ["agent", "model-server"]) {
      assert.deepEqual(container(pod, name).lifecycle, { preStop: { sleep: { seconds: 5 } } }, name);
    }
  });

  it("mounts the shadow settings of every revision as an optional ConfigMap, followed by the agent (ADR 0009)", () => {
    const ctx = contextFor(modelDeployment());
    const pod = buildPodTemplate(ctx).spec;
    assert.deepEqual(pod?.volumes?.find((v) => v.name === "shadow"), {
      name: "shadow",
      configMap: { name: `${ctx.md.metadata.name}-shadow`, items: [{ key: "shadow.json", path: "shadow.json" }], optional: true },
    });
    assert.equal(buildAgentConfig(ctx).shadowFile, "/etc/mdo/shadow/shadow.json");
  });

  it("mounts the drift baseline as an optional ConfigMap key", () => {
    const pod = buildPodTemplate(contextFor(loadExample("onnx-canary.yaml"))).spec;
    assert.deepEqual(pod?.volumes?.find((v) => v.name === "drift-baseline"), {
      name: "drift-baseline",
      configMap: { name: "churn-baseline", items: [{ key: "baseline.json", path: "baseline.json" }], optional: true },
    });
  });
});

describe("pod metadata", () => {
  it("labels the revision and a label-safe model version, and annotates the config hash", () => {
    const md = modelDeployment((i) => { i.spec.model = { uri: "https://example.com/models/fraud%20v7+b", format: "sklearn" }; });
    const ctx = contextFor(md);
    const meta = buildPodTemplate(ctx).metadata;
    assert.equal(meta?.labels?.["mdo.dev/revision"], ctx.revision);
    assert.equal(meta?.labels?.["mdo.dev/model-version"], "fraud-20v7-b");
    assert.match(meta?.annotations?.["mdo.dev/agent-config-hash"] ?? "", /^[a-z0-9]{10}$/);
  });

  it("does not carry the user's labels (a label change must not roll pods)", () => {
    const md = modelDeployment((i) => { i.metadata.labels = { team: "fraud" }; });
    assert.equal(buildPodTemplate(contextFor(md)).metadata?.labels?.team, undefined);
  });
});
