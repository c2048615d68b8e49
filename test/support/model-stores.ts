// The model stores of the real-node delivery test: an S3 (moto), a GCS (fake-gcs-server), an OCI
// registry (distribution + oras) and an HTTPS server, all listening on the bridge address so the
// fetcher in a pod reaches them, and the Secrets a ModelDeployment names to use them.
import { REAL_NODE_IP } from "../../src/sandbox/addresses.ts";
import { startGcs, startHttpsServer, startRegistry, startS3, type RunningGcs, type RunningHttpsServer, type RunningRegistry, type RunningS3 } from "./storage/index.ts";

export interface ModelStores {
  s3: RunningS3;
  gcs: RunningGcs;
  registry: RunningRegistry;
  https: RunningHttpsServer;
  /** Secret objects (stringData) by name: s3-creds, s3-wrong-key, gcs, registry, https. */
  secrets(namespace: string): object[];
  stop(): Promise<void>;
}

/** Starts the four stores on the bridge address; `httpsRoot` is the directory the HTTPS server serves. */
export async function startModelStores(httpsRoot: string): Promise<ModelStores> {
  const host = REAL_NODE_IP;
  const started: { stop(): Promise<void> }[] = [];
  const keep = <T extends { stop(): Promise<void> }>(s: T): T => {
    started.push(s);
    return s;
  };
  const stop = async (): Promise<void> => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    const [s3, gcs, registry, https] = await Promise.all([
      startS3({ host }).then(keep), startGcs({ host }).then(keep), startRegistry({ host }).then(keep), startHttpsServer({ host, root: httpsRoot }).then(keep),
    ]);
    const secret = (namespace: string, name: string, stringData: Record<string, string>): object => ({
      apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, type: "Opaque", stringData,
    });
    const s3Data = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL: s3.endpoint };
    return {
      s3, gcs, registry, https, stop,
      secrets: (namespace) => [
        secret(namespace, "s3-creds", s3Data),
        secret(namespace, "s3-wrong-key", { ...s3Data, AWS_SECRET_ACCESS_KEY: "not-the-secret-key" }),
        secret(namespace, "gcs", { STORAGE_EMULATOR_HOST: gcs.endpoint }),
        secret(namespace, "registry", { ".dockerconfigjson": registry.dockerConfigJson, "ca.crt": registry.caCert }),
        secret(namespace, "https", { "ca.crt": https.caCert }),
      ],
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
