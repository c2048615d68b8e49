// The two downloaders compared: `mdo fetch` (the init container's command, run the way the image
// runs it: `node src/cmd/mdo.ts`) and the AWS CLI v1 with its default transfer configuration.
// Each gets a fresh directory to fill and says where the model ends up, to be verified there.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { RunningS3 } from "../../test/support/storage/s3.ts";
import type { CaseName } from "./flags.ts";

export const TOOL_NAMES = ["mdo", "aws"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const TOOL_LABELS: Record<ToolName, string> = {
  mdo: "mdo fetch",
  aws: "AWS CLI (reference)",
};

/**
 * The AWS CLI's transfer settings in this run: its defaults (no config file: AWS_CONFIG_FILE is
 * /dev/null). Files above the multipart threshold are fetched in chunk-size ranged GETs.
 */
export const AWS_CLI_SETTINGS = {
  max_concurrent_requests: 10,
  multipart_threshold: "8 MB",
  multipart_chunksize: "8 MB",
} as const;

export const MDO_SETTINGS = {
  concurrency: "8 files at a time (the default), one GET per file",
} as const;

export interface Invocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Where the model is once the command has succeeded: the file (one-file case) or the directory. */
  readonly result: string;
  /** What the command's output must name as the model's digest, if it prints one. */
  readonly printsDigest: boolean;
}

export interface Endpoint {
  readonly s3: RunningS3;
  readonly awsCli: string;
  readonly bucket: string;
  /** The Secret's keys as files, as the pod mounts them. */
  readonly credentialsDir: string;
  /** Object key of the one-file case and prefix of the many-files case. */
  readonly keys: Record<CaseName, string>;
}

const MDO = resolve(import.meta.dirname, "../../src/cmd/mdo.ts");

/** Writes the storage Secret's keys as files, one per key. */
export async function writeCredentials(dir: string, s3: RunningS3): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "AWS_ACCESS_KEY_ID"), s3.accessKeyId);
  await writeFile(join(dir, "AWS_SECRET_ACCESS_KEY"), s3.secretAccessKey);
  await writeFile(join(dir, "AWS_ENDPOINT_URL"), s3.endpoint);
}

/** No shared AWS configuration from the machine for either tool. */
const ISOLATED = { AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" };

/** The command line of `tool` downloading `name` into `runDir` (which must exist and be empty). */
export function invocation(tool: ToolName, name: CaseName, runDir: string, endpoint: Endpoint): Invocation {
  const { s3, bucket, keys } = endpoint;
  const source = `s3://${bucket}/${keys[name]}`;
  if (tool === "mdo") {
    // mdo takes its credentials and endpoint from the Secret's files only.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    const dest = join(runDir, "model");
    return {
      command: process.execPath,
      args: [MDO, "fetch", "--uri", source, "--dest", dest, "--credentials-dir", endpoint.credentialsDir, "--secret-name", "bench"],
      env: { ...env, ...ISOLATED },
      result: name === "one-file" ? join(dest, "model.bin") : dest,
      printsDigest: true,
    };
  }
  const env = { ...process.env, ...s3.env, ...ISOLATED };
  const quiet = ["--only-show-errors", "--no-progress"];
  if (name === "one-file") {
    const file = join(runDir, "model.bin");
    return { command: endpoint.awsCli, args: ["s3", "cp", "--endpoint-url", s3.endpoint, ...quiet, source, file], env, result: file, printsDigest: false };
  }
  return { command: endpoint.awsCli, args: ["s3", "sync", "--endpoint-url", s3.endpoint, ...quiet, source, runDir], env, result: runDir, printsDigest: false };
}

/** The digest in mdo fetch's last line ("Fetched … digest sha256:…"), if any. */
export function printedDigest(stdout: string): string | undefined {
  const lines = stdout.trim().split("\n").filter((l) => l.includes(" Fetched "));
  return /digest (sha256:[a-f0-9]{64})/.exec(lines.at(-1) ?? "")?.[1];
}
