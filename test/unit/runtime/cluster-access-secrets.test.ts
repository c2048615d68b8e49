// No token, key or password of a kubeconfig appears in an error's message or in its causes'.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { describeError } from "../../../src/runtime/errors.ts";
import { b64, kubeconfig, tempDir, writeFiles } from "./access-fixtures.ts";

const SECRET = "s3cr3t-T0KEN-value";

test("errors about a kubeconfig holding secrets never quote them", async () => {
  const dir = await tempDir();
  const broken = {
    // A YAML syntax error next to the token: js-yaml's own message would quote this line.
    yaml: `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${SECRET}\n    password: [${SECRET}\n`,
    keyWithoutCert: kubeconfig({}, { "client-key-data": b64(SECRET), token: SECRET }),
    tokenNotText: kubeconfig({}, { token: { value: SECRET } }),
    unknownContext: kubeconfig({}, { token: SECRET, password: SECRET }, { "current-context": "other" }),
    badServer: kubeconfig({ server: "::nonsense" }, { token: SECRET }),
  };
  for (const [name, text] of Object.entries(broken)) {
    const path = await writeFiles(dir, { [name]: text });
    const error = await loadClusterAccess({ kubeconfig: path }).then(async (access) => access.requestOptions().then(() => undefined, (e: unknown) => e), (e: unknown) => e);
    assert.ok(error instanceof Error, `${name} fails`);
    const described = describeError(error);
    assert.ok(described.includes(path), `${name}: the message names the file (${described})`);
    assert.ok(!described.includes(SECRET) && !described.includes(b64(SECRET)), `${name}: no secret in ${described}`);
  }
});
