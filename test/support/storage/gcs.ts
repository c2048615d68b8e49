// A real Google Cloud Storage API server for tests: fake-gcs-server (scripts/storage-tools) over
// plain HTTP on <host>:<free port>, objects as files under `<dir>/data`. It checks no
// credentials: clients pointed at it send none (@google-cloud/storage does not with a custom
// endpoint). Download links it hands out (mediaLink, upload Locations) name <host>:<port>.
// It holds an object in memory while it writes it: a 1 GiB upload peaks at about 4.7 GB RSS
// (6.9 GB without the GOMEMLIMIT below) and settles near 1.1 GB; downloads stream from the file.
//
// Pointing @google-cloud/storage (8.4.0) at it: `new Storage({ apiEndpoint: endpoint })` works
// for everything. The environment variable is taken differently: the SDK uses
// STORAGE_EMULATOR_HOST verbatim as the JSON API base URL (ignoring `apiEndpoint`), so reads need
// `${endpoint}/storage/v1` there and `endpoint` alone gets 404 on every read; Go and Python
// clients take `endpoint` itself.
import { Storage } from "@google-cloud/storage";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { get } from "../../../src/sandbox/http-probe.ts";
import { join } from "node:path";
import { createServerHome, startedOrCleanedUp, waitUntilServing, type StorageServerOptions } from "./server-home.ts";
import { storageTools } from "./tools.ts";

export interface RunningGcs {
  /** http://<host>:<port>, no trailing slash (see the header on STORAGE_EMULATOR_HOST). */
  readonly endpoint: string;
  readonly pid: number;
  /** The server's directory: `data/<bucket>/<object>` and fake-gcs-server.log. */
  readonly dir: string;
  createBucket(name: string): Promise<void>;
  /** A Buffer is saved in one request; a string is a file path, uploaded (resumable above 5 MB). */
  putObject(bucket: string, key: string, body: Buffer | string): Promise<void>;
  /** Ends the server's process group and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startGcs(options: StorageServerOptions = {}): Promise<RunningGcs> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.log(`[gcs] ${m}`));
  const tools = await storageTools();
  const home = await createServerHome("mdo-gcs-");
  return startedOrCleanedUp(home, async () => {
    const [port] = await freePorts(1);
    const endpoint = `http://${host}:${port!}`;
    const started = await home.spawn("fake-gcs-server", tools.fakeGcsServer, [
      "-scheme", "http", "-host", host, "-port", String(port!),
      "-backend", "filesystem", "-filesystem-root", join(home.dir, "data"),
      "-public-host", `${host}:${port!}`, "-external-url", endpoint, "-log-level", "warn",
    ], { ...process.env, GOMEMLIMIT: "1GiB" }); // a soft limit: hands memory back after big uploads
    await waitUntilServing("fake-gcs-server", started, async () => (await get({ url: `${endpoint}/_internal/healthcheck` })).status === 200);
    const storage = clientFor(endpoint);
    log(`fake-gcs-server at ${endpoint} (pid ${started.pid})`);
    return {
      endpoint, pid: started.pid, dir: home.dir,
      createBucket: async (name) => {
        await storage.createBucket(name);
      },
      putObject: async (bucket, key, body) => {
        if (typeof body === "string") await storage.bucket(bucket).upload(body, { destination: key });
        else await storage.bucket(bucket).file(key).save(body, { resumable: false });
      },
      stop: () => home.stop(),
    };
  });
}

/** A client of `endpoint` whatever STORAGE_EMULATOR_HOST says (the SDK reads it in its constructor). */
function clientFor(endpoint: string): Storage {
  const emulatorHost = process.env.STORAGE_EMULATOR_HOST;
  delete process.env.STORAGE_EMULATOR_HOST;
  try {
    return new Storage({ apiEndpoint: endpoint, projectId: "mdo-test" });
  } finally {
    if (emulatorHost !== undefined) process.env.STORAGE_EMULATOR_HOST = emulatorHost;
  }
}
