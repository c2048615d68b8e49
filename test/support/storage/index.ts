// Real storage servers for the model-delivery tests (docs/development.md, "Storage servers in
// tests"): S3 (moto), GCS (fake-gcs-server), an OCI registry (distribution, with oras) and a
// static HTTPS server. Each listens on `host` (default 127.0.0.1; 198.18.0.1 when pods must reach
// it), lives in a /tmp/mdo-<kind>-XXXX directory and is gone after `stop()`.
export { startS3, type RunningS3 } from "./s3.ts";
export { startGcs, type RunningGcs } from "./gcs.ts";
export { startRegistry, type ArtifactFile, type RunningRegistry } from "./registry.ts";
export { startHttpsServer, type RunningHttpsServer, type ServedRequest } from "./https.ts";
export { storageTools, type StorageTools } from "./tools.ts";
export { STORAGE_DIR_PREFIXES, strayStorageProcesses, type StorageServerOptions } from "./server-home.ts";
