// The transport sends what its ClusterAccess gives: the credentials on every request, under the
// server URL's path (API servers behind a path-routing proxy, such as Rancher's).
import { strict as assert } from "node:assert";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { after, test } from "node:test";
import { loadClusterAccess } from "../../../src/runtime/client/access/load.ts";
import { KubeTransport } from "../../../src/runtime/client/transport.ts";
import { kubeconfig, tempDir, writeFiles } from "./access-fixtures.ts";

test("requests carry the kubeconfig's bearer token and go under the server's path", async () => {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  after(() => server.close());
  const { port } = server.address() as { port: number };
  const dir = await tempDir();
  const path = await writeFiles(dir, { config: kubeconfig({ server: `http://127.0.0.1:${port}/k8s/clusters/c-1/` }, { token: "tok", as: "jane" }) });
  const transport = new KubeTransport(await loadClusterAccess({ kubeconfig: path }));
  after(() => transport.close());
  await transport.request({ verb: "LIST", path: "/api/v1/pods", query: { limit: 5 } });
  assert.equal(seen[0]?.url, "/k8s/clusters/c-1/api/v1/pods?limit=5");
  assert.equal(seen[0]?.headers.authorization, "Bearer tok");
  assert.equal(seen[0]?.headers["impersonate-user"], "jane");
  assert.equal(seen[0]?.headers.accept, "application/json");
});
