// Puts the dataset into the S3 server: the one file with `aws s3 cp` (multipart, as models are
// usually uploaded), the many files with PutObject through the AWS SDK, 8 at a time.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import type { RunningS3 } from "../../test/support/storage/s3.ts";
import type { DataCase } from "./dataset.ts";
import { checkExit, timedRun } from "./timed-run.ts";
import type { WorkDir } from "./work-dir.ts";

/** PutObject calls in flight for the many-files case. */
const UPLOAD_CONCURRENCY = 8;

export interface UploadContext {
  readonly s3: RunningS3;
  readonly awsCli: string;
  readonly bucket: string;
  readonly workDir: WorkDir;
  readonly signal: AbortSignal;
}

/** Uploads the one file to s3://<bucket>/<key> with `aws s3 cp`; returns the seconds it took. */
export async function uploadOneFile(context: UploadContext, data: DataCase, key: string): Promise<number> {
  const { s3, awsCli, bucket, workDir, signal } = context;
  const run = await timedRun(awsCli, ["s3", "cp", "--endpoint-url", s3.endpoint, "--only-show-errors", "--no-progress", data.localPath, `s3://${bucket}/${key}`], {
    env: { ...process.env, ...s3.env }, workDir, signal,
  });
  checkExit("aws s3 cp (upload)", run);
  return run.wallMs / 1000;
}

/** Uploads every file of the case under s3://<bucket>/<prefix>/; returns the seconds it took. */
export async function uploadManyFiles(context: UploadContext, data: DataCase, prefix: string, onFile: (done: number) => void): Promise<number> {
  const { s3, bucket, signal } = context;
  const started = performance.now();
  const limit = pLimit(UPLOAD_CONCURRENCY);
  let done = 0;
  await Promise.all(data.files.map((file) => limit(async () => {
    signal.throwIfAborted();
    await s3.putObject(bucket, `${prefix}/${file.path}`, await readFile(join(data.localPath, file.path)));
    onFile(++done);
  })));
  return (performance.now() - started) / 1000;
}
