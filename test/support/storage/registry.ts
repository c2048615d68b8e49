// A real OCI registry for tests: the distribution registry v3 (scripts/storage-tools) on
// https://<host>:<free port>, with a certificate from a test CA made for this server
// (src/sandbox/pki.ts; subjectAltName <host>, 127.0.0.1, localhost), htpasswd (bcrypt) basic
// auth for one random user, and filesystem storage under `<dir>/data`. Requests without
// credentials get 401. Artifacts go up with the real `oras push`.
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { createPki, signCertificate } from "../../../src/sandbox/pki.ts";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { get } from "../../../src/sandbox/http-probe.ts";
import { createServerHome, sanFor, startedOrCleanedUp, waitUntilServing, type StorageServerOptions } from "./server-home.ts";
import { storageTools } from "./tools.ts";

const run = promisify(execFile);

export interface ArtifactFile {
  /** Absolute path of a file; it is pushed with its base name as title, so `oras pull` recreates it under that name. */
  readonly path: string;
  /** Layer media type; oras's default (application/vnd.oci.image.layer.v1.tar) when absent. */
  readonly mediaType?: string;
}

export interface RunningRegistry {
  /** <host>:<port>, what image references and docker config files name. */
  readonly address: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly caCert: string;
  /** The same, as a file (for `--ca-file`, SSL_CERT_FILE…). */
  readonly caFile: string;
  readonly username: string;
  readonly password: string;
  /** {"auths":{"<address>":{"auth":"<base64 user:password>"}}}, as in a kubernetes.io/dockerconfigjson Secret. */
  readonly dockerConfigJson: string;
  /** The same, as a file (oras's `--registry-config`). */
  readonly dockerConfigFile: string;
  readonly pid: number;
  readonly dir: string;
  /** `oras push <address>/<ref>` of the files; resolves with the manifest digest (sha256:…). Base names must differ. */
  pushArtifact(ref: string, files: readonly ArtifactFile[], options?: { artifactType?: string }): Promise<{ digest: string }>;
  /** Ends the server's process group and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

// bcrypt at the lowest cost: the registry checks the password on every request.
const BCRYPT = "import bcrypt, sys; print(bcrypt.hashpw(sys.stdin.read().encode(), bcrypt.gensalt(4)).decode())";

export async function startRegistry(options: StorageServerOptions = {}): Promise<RunningRegistry> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.log(`[registry] ${m}`));
  const tools = await storageTools();
  const home = await createServerHome("mdo-registry-");
  const dir = home.dir;
  return startedOrCleanedUp(home, async () => {
    const [port] = await freePorts(1);
    const address = `${host}:${port!}`;
    const pki = await createPki(join(dir, "pki"));
    const serving = await signCertificate(pki.dir, {
      name: "registry", subject: "/CN=mdo-test-registry", usage: "serverAuth", keyType: "ec",
      sans: [...new Set([sanFor(host), "IP:127.0.0.1", "DNS:localhost"])],
    });
    const username = "mdo";
    const password = randomBytes(16).toString("hex");
    const hash = await pipeTo(tools.python, ["-c", BCRYPT], password);
    await writeFile(join(dir, "htpasswd"), `${username}:${hash.trim()}\n`, { mode: 0o600 });
    const config = { // JSON is YAML
      version: 0.1,
      log: { level: "warn", accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(dir, "data") }, delete: { enabled: true } },
      http: { addr: address, secret: randomBytes(16).toString("hex"), tls: { certificate: serving.cert, key: serving.key } },
      auth: { htpasswd: { realm: "mdo-test-registry", path: join(dir, "htpasswd") } },
    };
    await writeFile(join(dir, "config.yml"), JSON.stringify(config, null, 2));
    const dockerConfigJson = JSON.stringify({ auths: { [address]: { auth: Buffer.from(`${username}:${password}`).toString("base64") } } });
    const dockerConfigFile = join(dir, "docker-config.json");
    await writeFile(dockerConfigFile, dockerConfigJson, { mode: 0o600 });
    const started = await home.spawn("registry", tools.registry, ["serve", join(dir, "config.yml")], {
      ...process.env, OTEL_TRACES_EXPORTER: "none", // else it exports traces to localhost:4318
    });
    // Serving (TLS verified with the CA) and asking for credentials.
    await waitUntilServing("registry", started, async () => (await get({ url: `https://${address}/v2/`, caFile: pki.caCert })).status === 401);
    log(`registry at https://${address} (pid ${started.pid}, user ${username})`);
    return {
      address, caCert: await readFile(pki.caCert, "utf8"), caFile: pki.caCert, username, password, dockerConfigJson, dockerConfigFile,
      pid: started.pid, dir,
      pushArtifact: async (ref, files, pushOptions = {}) => {
        // oras titles each file with the path it is given: run it where the base names resolve.
        const stage = await mkdtemp(join(dir, "push-"));
        try {
          for (const file of files) await symlink(file.path, join(stage, basename(file.path)));
          const args = ["push", "--registry-config", dockerConfigFile, "--ca-file", pki.caCert, "--no-tty",
            "--format", "go-template={{.digest}}",
            ...(pushOptions.artifactType === undefined ? [] : ["--artifact-type", pushOptions.artifactType]),
            `${address}/${ref}`,
            ...files.map((f) => (f.mediaType === undefined ? basename(f.path) : `${basename(f.path)}:${f.mediaType}`))];
          const { stdout } = await run(tools.oras, args, { cwd: stage, timeout: 30 * 60_000 });
          const digest = stdout.trim().split("\n").at(-1) ?? "";
          if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`oras push printed no digest: ${stdout}`);
          return { digest };
        } finally {
          await rm(stage, { recursive: true, force: true });
        }
      },
      stop: () => home.stop(),
    };
  });
}

/** Runs `command` with `input` on stdin; resolves with its stdout. */
function pipeTo(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 30_000 }, (error, stdout) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${command} failed: ${error.message}`, { cause: error }));
    });
    child.stdin?.end(input);
  });
}
