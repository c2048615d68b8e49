// Builds (once, cached by content) and runs test/support/kstatus: the health Flux computes for
// Kubernetes objects, by kstatus (sigs.k8s.io/cli-utils), by Flux's fork of it
// (github.com/fluxcd/cli-utils, what Flux runs) and by Flux's CEL healthCheckExprs evaluator.
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const SOURCE = join(import.meta.dirname, "kstatus");
const SOURCE_FILES = ["go.mod", "go.sum", "main.go"];
/** The build environment; part of the cache key. The Go module proxy comes from `go env`. */
const BUILD_ENV = { GOTOOLCHAIN: "local", CGO_ENABLED: "0", GOFLAGS: "-trimpath -buildvcs=false" };
/**
 * Run under `flock <lock>`: builds into a temporary file and renames it into place, unless a
 * build that held the lock before made the binary already. A reader never sees a partial file.
 */
const BUILD_SCRIPT = 'test -x "$1" || { go build -o "$1.tmp.$$" . && mv "$1.tmp.$$" "$1"; }';

const run = promisify(execFile);

export type KstatusStatus = "Current" | "InProgress" | "Failed" | "Terminating" | "NotFound" | "Unknown";
/** One library's verdict on an object, or why it could not compute one. */
export type Verdict = { status: KstatusStatus; message?: string } | { error: string };
/**
 * The verdicts on one object: at the top level kstatus's status.Compute; `flux` that of Flux's
 * fork; `exprs` that of Flux's evaluator of the healthCheckExprs given, if any.
 */
export type KstatusResult = Verdict & { flux: Verdict; exprs?: Verdict };
/** A Kustomization's spec.healthCheckExprs entry, without apiVersion and kind (CEL). */
export interface HealthCheckExprs {
  current: string;
  failed?: string;
  inProgress?: string;
}

export class KstatusToolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KstatusToolError";
  }
}

/**
 * The path of the kstatus binary, built on first use into $MDO_CACHE_DIR (default
 * ~/.cache/mdo)/tools/kstatus-<key>, where <key> hashes the Go version, the build environment
 * and test/support/kstatus's go.mod, go.sum and main.go. Concurrent callers (test files run in
 * parallel processes) serialise on an exclusive flock; the later ones reuse the first's build.
 * Needs Go and the Go module proxy on a cold cache (a few minutes: it compiles Flux's packages),
 * only `go env` and a stat when warm.
 */
export async function kstatusBinary(signal?: AbortSignal): Promise<string> {
  const options = { cwd: SOURCE, env: { ...process.env, ...BUILD_ENV }, ...(signal && { signal }) };
  let goVersion: string;
  try {
    goVersion = (await run("go", ["env", "GOVERSION"], options)).stdout.trim();
  } catch (error) {
    throw new KstatusToolError("Go is needed to build test/support/kstatus (go env GOVERSION failed)", { cause: error });
  }
  const hash = createHash("sha256").update(`${goVersion}|${JSON.stringify(BUILD_ENV)}`);
  for (const file of SOURCE_FILES) hash.update(await readFile(join(SOURCE, file)));
  const dir = join(process.env.MDO_CACHE_DIR ?? join(homedir(), ".cache", "mdo"), "tools");
  const binary = join(dir, `kstatus-${hash.digest("hex").slice(0, 16)}`);
  if (await exists(binary)) return binary;
  await mkdir(dir, { recursive: true });
  try {
    await run("flock", [`${binary}.lock`, "sh", "-c", BUILD_SCRIPT, "sh", binary], options);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new KstatusToolError(`building test/support/kstatus failed: ${stderr.trim()}`, { cause: error });
  }
  return binary;
}

/**
 * The verdicts on each object, in order (objects go as a JSON array on stdin); with `exprs`, also
 * those of Flux's healthCheckExprs evaluator.
 */
export async function computeKstatus(
  binary: string,
  objects: readonly unknown[],
  options: { exprs?: HealthCheckExprs; signal?: AbortSignal } = {},
): Promise<KstatusResult[]> {
  const args = options.exprs === undefined ? [] : [JSON.stringify(options.exprs)];
  const stdout = await pipe(binary, args, JSON.stringify(objects), options.signal);
  const results = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as KstatusResult);
  if (results.length !== objects.length) {
    throw new KstatusToolError(`kstatus printed ${results.length} results for ${objects.length} objects`);
  }
  return results;
}

function pipe(binary: string, args: string[], input: string, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"], ...(signal && { signal }) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(new KstatusToolError(`running ${binary} failed`, { cause: error })));
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new KstatusToolError(`${binary} exited with ${code}: ${stderr.trim()}`));
    });
    child.stdin.end(input);
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
