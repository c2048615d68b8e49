// A stand-in API server for unit tests of the client: an http.Server listening on 127.0.0.1, and
// a KubeConfig (token auth, plain http) pointing at it.
import { KubeConfig } from "@kubernetes/client-node";
import type { Server } from "node:http";

/** Starts `server` on a free port of 127.0.0.1 and returns a KubeConfig for it. */
export async function listenAsApiServer(server: Server): Promise<KubeConfig> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "t", server: `http://127.0.0.1:${address.port}`, skipTLSVerify: true }],
    users: [{ name: "u", token: "t0ken" }],
    contexts: [{ name: "t", cluster: "t", user: "u" }],
    currentContext: "t",
  });
  return kc;
}
