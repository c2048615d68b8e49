// The programs behind the storage servers of the tests, built on first use and cached by content
// (see the scripts' headers): scripts/storage-env (a Python virtualenv with moto's S3 server,
// the AWS CLI v1 and bcrypt) and scripts/storage-tools (fake-gcs-server, the distribution
// registry and oras, built with Go). Cold: about a minute for the virtualenv and three minutes
// for the Go builds; warm: well under a second.
import { join } from "node:path";
import { runProjectScript } from "../../../src/sandbox/project-script.ts";

export interface StorageTools {
  /** The virtualenv of scripts/storage-env. */
  readonly venv: string;
  /** `<venv>/bin/python` (moto, boto3 and bcrypt import). */
  readonly python: string;
  /** `<venv>/bin/moto_server`. */
  readonly motoServer: string;
  /** `<venv>/bin/aws`, the AWS CLI v1. */
  readonly awsCli: string;
  readonly fakeGcsServer: string;
  readonly registry: string;
  readonly oras: string;
}

let cached: Promise<StorageTools> | undefined;

/** Runs both scripts (once per process; their progress goes to stderr) and returns the paths. */
export function storageTools(): Promise<StorageTools> {
  cached ??= resolveTools();
  cached.catch(() => (cached = undefined));
  return cached;
}

async function resolveTools(): Promise<StorageTools> {
  const [envLines, toolLines] = await Promise.all([runProjectScript("storage-env"), runProjectScript("storage-tools")]);
  const venv = envLines.at(-1);
  if (venv === undefined) throw new Error("scripts/storage-env printed no directory");
  const built = new Map(toolLines.map((line) => {
    const space = line.indexOf(" ");
    return [line.slice(0, space), line.slice(space + 1)] as const;
  }));
  const tool = (name: string): string => {
    const path = built.get(name);
    if (path === undefined) throw new Error(`scripts/storage-tools printed no path for ${name}`);
    return path;
  };
  return {
    venv,
    python: join(venv, "bin/python"),
    motoServer: join(venv, "bin/moto_server"),
    awsCli: join(venv, "bin/aws"),
    fakeGcsServer: tool("fake-gcs-server"),
    registry: tool("registry"),
    oras: tool("oras"),
  };
}
