import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildChildren } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { CONTAINER_FETCHER } from "../../../src/controllers/modeldeployment/builders/paths.ts";
import { allContainers, contextFor, modelDeployment } from "./fixtures.ts";

const md = modelDeployment((i) => {
  i.spec.model.storageSecretRef = { name: "s3-creds" };
  i.spec.serving = { auth: { apiKeySecretRef: { name: "api-keys", key: "primary" } } };
});
const children = buildChildren(contextFor(md));
const pod = children.deployment.spec?.template.spec;

/** Every [path, value] of a JSON value's leaves, paths like spec.template.spec.volumes[2].secret.secretName. */
function leaves(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path === "" ? k : `${path}.${k}`));
  }
  return [[path, value]];
}

describe("secrets are only referenced, never inline", () => {
  it("the storage Secret reaches only the fetcher, as a read-only file volume", () => {
    const refs = leaves(children).filter(([, v]) => v === "s3-creds").map(([p]) => p);
    assert.deepEqual(refs, ["deployment.spec.template.spec.volumes[1].secret.secretName"]);
    assert.ok(pod?.initContainers?.[0]?.args?.includes("--secret-name=s3-creds"), "the fetcher names the Secret in its messages");
    for (const c of allContainers(pod)) {
      assert.equal(c.envFrom, undefined, `${c.name} gets no envFrom`);
      const mounted = (c.volumeMounts ?? []).some((m) => m.name === "storage-secret");
      assert.equal(mounted, c.name === CONTAINER_FETCHER, `${c.name} mounts the storage Secret: ${mounted}`);
    }
  });

  it("the API key is a read-only file volume of the agent, never an env var", () => {
    const refs = leaves(children).filter(([, v]) => v === "api-keys").map(([p]) => p);
    assert.deepEqual(refs, ["deployment.spec.template.spec.volumes[3].secret.secretName"]);
    const volume = pod?.volumes?.find((v) => v.secret !== undefined && v.name !== "storage-secret");
    assert.deepEqual(volume?.secret, { secretName: "api-keys", items: [{ key: "primary", path: "api-key" }] });
    const mounts = allContainers(pod).flatMap((c) => (c.volumeMounts ?? []).filter((m) => m.name === volume?.name).map((m) => [c.name, m]));
    assert.deepEqual(mounts, [["agent", { name: "api-key", mountPath: "/etc/mdo/auth", readOnly: true }]]);
  });

  it("no container takes a value from a Secret key, and nothing is a Secret", () => {
    for (const c of allContainers(pod)) {
      for (const e of c.env ?? []) assert.equal(e.valueFrom, undefined, `${c.name} env ${e.name}`);
    }
    for (const child of Object.values(children)) assert.notEqual((child as { kind?: string }).kind, "Secret");
  });

  it("no credential-looking names or values appear anywhere", () => {
    const text = JSON.stringify(children);
    for (const word of ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "password", "token", "Bearer"]) {
      assert.equal(text.includes(word), false, `found ${word}`);
    }
    assert.match(children.configMap.data?.["config.json"] ?? "", /"apiKeyFile": "\/etc\/mdo\/auth\/api-key"/);
  });
});
