// Cluster access from a kubeconfig file: the credentials the small loader serves itself, the
// current context's selection, and errors that name the file and the field.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import { test } from "node:test";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { ClusterAccessError } from "../../../src/runtime/client/access/types.ts";
import { b64, kubeconfig, tempDir, writeFiles } from "./access-fixtures.ts";

test("an inline token: the server, a bearer header and the context's namespace", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, { config: kubeconfig({}, { token: "abc.def" }) });
  const access = await loadClusterAccess({ kubeconfig: path });
  assert.equal(access.server.href, "https://api.example:6443/");
  assert.equal(access.namespace, "team");
  assert.deepEqual(await access.requestOptions(), { headers: { Authorization: "Bearer abc.def" } });
});

test("a token file, relative to the kubeconfig, is read again once a minute old", async () => {
  const dir = await tempDir();
  let now = 0;
  const path = await writeFiles(dir, { config: kubeconfig({}, { tokenFile: "token" }), token: "first\n" });
  const access = await loadClusterAccess({ kubeconfig: path, now: () => now });
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer first");
  await writeFiles(dir, { token: "second\n" });
  now = 59_000;
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer first");
  now = 60_000;
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer second");
});

test("an inline token wins over a token file", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, { config: kubeconfig({}, { token: "inline", tokenFile: "absent" }) });
  assert.equal((await (await loadClusterAccess({ kubeconfig: path })).requestOptions()).headers?.Authorization, "Bearer inline");
});

test("client certificate, key and CA as inline data", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, {
    config: kubeconfig({ "certificate-authority-data": b64("CA PEM") }, { "client-certificate-data": b64("CERT PEM"), "client-key-data": b64("KEY PEM") }),
  });
  const options = await (await loadClusterAccess({ kubeconfig: path })).requestOptions();
  assert.deepEqual([options.ca, options.cert, options.key], [Buffer.from("CA PEM"), Buffer.from("CERT PEM"), Buffer.from("KEY PEM")]);
  assert.deepEqual(options.headers, {});
  assert.equal(options.rejectUnauthorized, undefined, "verification stays on");
});

test("client certificate, key and CA as files, relative paths resolved against the kubeconfig's directory", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, {
    config: kubeconfig({ "certificate-authority": "ca.crt" }, { "client-certificate": "client.crt", "client-key": join(dir, "client.key") }),
    "ca.crt": "CA FILE", "client.crt": "CERT FILE", "client.key": "KEY FILE",
  });
  const options = await (await loadClusterAccess({ kubeconfig: path })).requestOptions();
  assert.deepEqual([options.ca, options.cert, options.key], [Buffer.from("CA FILE"), Buffer.from("CERT FILE"), Buffer.from("KEY FILE")]);
});

test("insecure-skip-tls-verify, tls-server-name, basic auth and impersonation", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, {
    config: kubeconfig({ "insecure-skip-tls-verify": true, "tls-server-name": "kubernetes.default" }, { username: "admin", password: "pw", as: "jane", "as-groups": ["dev", "ops"] }),
  });
  const options = await (await loadClusterAccess({ kubeconfig: path })).requestOptions();
  assert.equal(options.rejectUnauthorized, false);
  assert.equal(options.servername, "kubernetes.default");
  assert.equal(options.auth, "admin:pw");
  assert.deepEqual(options.headers, { "Impersonate-User": "jane", "Impersonate-Group": ["dev", "ops"] });
});

test("the current-context selects the cluster and the user among several; a context without a user is anonymous", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, {
    config: `
apiVersion: v1
kind: Config
current-context: second
clusters:
- {name: one, cluster: {server: "https://one:6443"}}
- {name: two, cluster: {server: "https://two:6443"}}
users:
- {name: alice, user: {token: alice-token}}
- {name: bob, user: {token: bob-token}}
contexts:
- {name: first, context: {cluster: one, user: alice}}
- {name: second, context: {cluster: two, user: bob}}
- {name: anonymous, context: {cluster: one}}
`,
  });
  const access = await loadClusterAccess({ kubeconfig: path });
  assert.equal(access.server.host, "two:6443");
  assert.equal(access.namespace, undefined);
  assert.equal((await access.requestOptions()).headers?.Authorization, "Bearer bob-token");
  const anonymous = await writeFiles(dir, { anonymous: (await import("node:fs")).readFileSync(path, "utf8").replace("current-context: second", "current-context: anonymous") });
  assert.deepEqual(await (await loadClusterAccess({ kubeconfig: anonymous })).requestOptions(), {});
});

test("a missing or undefined context, cluster, user or field fails naming the file and what is missing", async () => {
  const dir = await tempDir();
  const cases: [string, string, RegExp][] = [
    ["no-current", kubeconfig({}, { token: "t" }, { "current-context": "" }), /No current-context is set in the kubeconfig .*no-current/],
    ["unknown-context", kubeconfig({}, { token: "t" }, { "current-context": "prod" }), /current-context "prod" of .*unknown-context is not defined/],
    ["no-server", kubeconfig({ server: "" }, { token: "t" }), /cluster "c" in .*no-server has no server/],
    ["bad-server", kubeconfig({ server: "api.example:6443" }, { token: "t" }), /server of cluster "c" in .*bad-server is not an http\(s\) URL/],
    ["unknown-user", kubeconfig({}, { token: "t" }, { users: [] }), /user "u" of context "main" is not defined in the users of .*unknown-user/],
    ["cert-no-key", kubeconfig({}, { "client-certificate-data": b64("C") }), /user "u" in .*cert-no-key has no client-key or client-key-data/],
    ["empty", "", /No current-context is set in the kubeconfig .*empty/],
  ];
  for (const [name, text, message] of cases) {
    const path = await writeFiles(dir, { [name]: text });
    await assert.rejects(loadClusterAccess({ kubeconfig: path }), (error: unknown) => {
      assert.ok(error instanceof ClusterAccessError, name);
      assert.match(error.message, message);
      return true;
    });
  }
  await assert.rejects(loadClusterAccess({ kubeconfig: join(dir, "absent") }), (error: unknown) =>
    error instanceof ClusterAccessError && /Could not read the kubeconfig .*absent/.test(error.message) && error.cause instanceof Error);
});

test("an unreadable token file fails the request, naming the file", async () => {
  const dir = await tempDir();
  const path = await writeFiles(dir, { config: kubeconfig({}, { tokenFile: "missing-token" }) });
  const access = await loadClusterAccess({ kubeconfig: path });
  await assert.rejects(access.requestOptions(), /Could not read the token file of user "u" .*missing-token/);
});
