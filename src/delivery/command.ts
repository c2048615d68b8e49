// `mdo fetch`, `mdo verify` and `mdo digest`: the model-delivery commands. `fetch` and `verify`
// run as the pod's init containers and leave a termination message on failure; `digest` is for
// people pinning spec.model.digest. Exit codes: 0 done, 1 failed (reason on stderr and in the
// termination message), 2 bad usage.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MODEL_FORMATS, type ModelFormat } from "../api/model-formats.ts";
import { NO_CREDENTIALS, loadCredentials } from "./credentials.ts";
import { DIGEST_PATTERN, checkDigest, digestOfPath } from "./digest.ts";
import { fetchModel } from "./fetch.ts";
import { RUNTIME_LAYOUTS } from "./layout/kinds.ts";
import type { LayoutRequest, RuntimeLayout } from "./layout/kinds.ts";
import type { StorageCredentials } from "./store.ts";
import { TERMINATION_LOG, terminationMessage, writeTerminationMessage } from "./termination.ts";

export const DELIVERY_USAGE = [
  "Usage:",
  "  mdo fetch --uri <uri> --dest <dir> [--digest sha256:…] [--layout <layout> --format <format> --model-name <name> [--model-version <v>]]",
  "            [--credentials-dir <dir> --secret-name <name>] [--concurrency <n>] [--termination-log <file>]",
  "  mdo verify --path <file-or-dir> --digest sha256:… [--termination-log <file>]",
  "  mdo digest <path-or-uri> [--credentials-dir <dir>]",
  "",
  "fetch   downloads s3://, gs://, https:// or oci:// into <dest> (atomically), checks the digest, lays the",
  "        model out for the runtime's layout (" + RUNTIME_LAYOUTS.join(", ") + ").",
  "verify  checks a model on disk (a pvc:// claim) against a digest.",
  "digest  prints the digest spec.model.digest pins: sha256 of a file, or the canonical tree digest of",
  "        a directory (docs/operator.md, Model delivery); a URI is downloaded to a temporary directory.",
  "Credentials: the storage Secret's keys as files in --credentials-dir (AWS_ACCESS_KEY_ID, ca.crt, …);",
  "the standard environment variables of each store also apply.",
].join("\n");

const log = (message: string): void => console.log(`${new Date().toISOString()} ${message}`);

const OPTIONS = {
  uri: { type: "string" }, dest: { type: "string" }, digest: { type: "string" }, path: { type: "string" },
  layout: { type: "string" }, format: { type: "string" }, "model-name": { type: "string" }, "model-version": { type: "string" },
  "credentials-dir": { type: "string" }, "secret-name": { type: "string" }, concurrency: { type: "string" },
  "termination-log": { type: "string" }, help: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

class UsageError extends Error {}

/** Runs `command` (fetch, verify or digest) with `argv`; returns the exit code. */
export async function runDeliveryCommand(command: "fetch" | "verify" | "digest", argv: string[], signal: AbortSignal = new AbortController().signal): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${DELIVERY_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(DELIVERY_USAGE);
    return 0;
  }
  const terminationLog = values["termination-log"] ?? TERMINATION_LOG;
  try {
    if (command === "fetch") await fetchCommand(values, signal);
    else if (command === "verify") await verifyCommand(values, signal);
    else await digestCommand(values, positionals, signal);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${DELIVERY_USAGE}`);
      return 2;
    }
    console.error(terminationMessage(error));
    if (command !== "digest") await writeTerminationMessage(terminationLog, error);
    return 1;
  }
}

function required(values: Values, name: "uri" | "dest" | "path" | "digest" | "model-name"): string {
  const value = values[name];
  if (value === undefined || value === "") throw new UsageError(`Missing --${name}`);
  return value;
}

async function credentialsFrom(values: Values): Promise<StorageCredentials> {
  const dir = values["credentials-dir"];
  return dir === undefined ? NO_CREDENTIALS : loadCredentials(dir, values["secret-name"] ?? dir);
}

function layoutFrom(values: Values): LayoutRequest | undefined {
  const layout = values.layout;
  if (layout === undefined || layout === "none") return undefined;
  if (!(RUNTIME_LAYOUTS as readonly string[]).includes(layout)) throw new UsageError(`Unknown --layout ${layout}; one of ${RUNTIME_LAYOUTS.join(", ")}`);
  const format = values.format;
  if (format === undefined || !(MODEL_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--layout needs --format, one of ${MODEL_FORMATS.join(", ")}`);
  const version = values["model-version"];
  return { layout: layout as RuntimeLayout, format: format as ModelFormat, modelName: required(values, "model-name"), ...(version !== undefined && { modelVersion: version }) };
}

function digestFrom(values: Values): string | undefined {
  const digest = values.digest;
  if (digest !== undefined && !DIGEST_PATTERN.test(digest)) throw new UsageError(`--digest must be sha256:<64 lower-case hex digits>, not ${digest}`);
  return digest;
}

async function fetchCommand(values: Values, signal: AbortSignal): Promise<void> {
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) throw new UsageError("--concurrency must be an integer from 1 to 64");
  const digest = digestFrom(values);
  const layout = layoutFrom(values);
  await fetchModel({
    uri: required(values, "uri"), dest: required(values, "dest"), credentials: await credentialsFrom(values), signal, log,
    ...(digest !== undefined && { digest }), ...(layout !== undefined && { layout }), ...(concurrency !== undefined && { concurrency }),
  });
}

async function verifyCommand(values: Values, signal: AbortSignal): Promise<void> {
  const path = required(values, "path");
  const expected = digestFrom(values) ?? required(values, "digest");
  const actual = await digestOfPath(path, signal);
  checkDigest(path, expected, actual);
  log(`Verified ${path}: ${actual}`);
}

async function digestCommand(values: Values, positionals: string[], signal: AbortSignal): Promise<void> {
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) throw new UsageError("mdo digest takes one path or URI");
  const isLocal = !/^[a-z0-9]+:\/\//.test(target) || (await stat(target).then(() => true, () => false));
  if (isLocal) {
    console.log(await digestOfPath(target, signal));
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "mdo-digest-"));
  try {
    const result = await fetchModel({ uri: target, dest: join(dir, "model"), credentials: await credentialsFrom(values), signal, log: (m) => console.error(m) });
    console.log(result.digest);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
