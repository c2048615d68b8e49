import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ModelDeployment } from "../../../src/api/index.ts";
import { buildPodTemplate } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { CONTAINER_MODEL_SERVER } from "../../../src/controllers/modeldeployment/builders/paths.ts";
import { allContainers, contextFor, exampleFiles, loadExample, modelDeployment } from "./fixtures.ts";

/** Volume sources the restricted Pod Security profile allows. */
const RESTRICTED_VOLUME_SOURCES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

const cases: [string, ModelDeployment][] = [
  ...exampleFiles().map((file): [string, ModelDeployment] => [file, loadExample(file)]),
  ["pvc:// with a digest (verifier init container)", modelDeployment((i) => {
    i.spec.model = { uri: "pvc://store/fraud/v7", format: "sklearn", digest: `sha256:${"a".repeat(64)}` };
  })],
  ["vllm (writable root filesystem, several scratch dirs)", modelDeployment((i) => {
    i.spec.model = { uri: "s3://models/llm", format: "huggingface" };
    i.spec.protocol = "openai";
  })],
];

describe("restricted Pod Security on every pod", () => {
  for (const [name, md] of cases) {
    it(name, () => {
      const ctx = contextFor(md);
      const pod = buildPodTemplate(ctx).spec;
      assert.ok(pod !== undefined);
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.enableServiceLinks, false);
      assert.equal(pod.hostNetwork ?? false, false);
      assert.equal(pod.hostPID ?? false, false);
      assert.equal(pod.hostIPC ?? false, false);
      assert.deepEqual(pod.securityContext?.seccompProfile, { type: "RuntimeDefault" });
      assert.equal(pod.securityContext?.runAsNonRoot, true);
      assert.equal(pod.securityContext?.runAsUser, ctx.runtime.runAsUser);
      assert.ok((pod.securityContext?.runAsUser ?? 0) > 0);

      const containers = allContainers(pod);
      assert.ok(containers.length >= 2);
      for (const c of containers) {
        const sc = c.securityContext;
        assert.equal(sc?.runAsNonRoot, true, `${c.name} runAsNonRoot`);
        assert.equal(sc?.allowPrivilegeEscalation, false, `${c.name} allowPrivilegeEscalation`);
        assert.deepEqual(sc?.capabilities, { drop: ["ALL"] }, `${c.name} drops all capabilities and adds none`);
        assert.equal(sc?.privileged ?? false, false, `${c.name} privileged`);
        assert.notEqual(sc?.runAsUser, 0, `${c.name} runAsUser`);
        const readOnly = c.name === CONTAINER_MODEL_SERVER ? ctx.runtime.readOnlyRootFilesystem : true;
        assert.equal(sc?.readOnlyRootFilesystem, readOnly, `${c.name} readOnlyRootFilesystem`);
        assert.equal(c.ports?.some((p) => p.hostPort !== undefined) ?? false, false, `${c.name} hostPort`);
      }
      for (const volume of pod.volumes ?? []) {
        const sources = Object.keys(volume).filter((k) => k !== "name");
        assert.equal(sources.length, 1);
        assert.ok(RESTRICTED_VOLUME_SOURCES.has(sources[0] ?? ""), `volume ${volume.name} uses ${sources[0]}`);
      }
    });
  }
});
