// A real S3 server for tests: moto's `moto_server` (scripts/storage-env) on <host>:<free port>,
// with request signing ENFORCED: it starts with INITIAL_NO_AUTH_ACTION_COUNT=3, spends those
// three unauthenticated calls on moto's IAM API (a user, an s3:* policy, an access key), and from
// then on every request must be SigV4-signed with that key. A wrong secret gets 403
// SignatureDoesNotMatch, an unknown key id 403 InvalidAccessKeyId. Known limit of moto 5.2.5:
// unsigned requests (anonymous, presigned URLs) get 500, not 403 (it reads only the Authorization header).
//
// Objects are spooled to (unlinked) temporary files in the server's directory once larger than
// 5 MB, but moto reads a whole object into memory to complete a multipart upload (a 1 GiB upload:
// 26 s, RSS peak 2.7 GB, then 0.6 GB) and to answer every GET, ranged or not (1 GiB GET: 6 s,
// RSS 1.3 GB). So many small ranged GETs of a big object are slow: `aws s3 cp` of 1 GiB down
// (8 MB ranges) takes about 2 minutes, against 6 s for one GET. Path-style addressing throughout.
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { get } from "../../../src/sandbox/http-probe.ts";
import { createServerHome, startedOrCleanedUp, waitUntilServing, type StorageServerOptions } from "./server-home.ts";
import { storageTools } from "./tools.ts";

const run = promisify(execFile);

export interface RunningS3 {
  /** http://<host>:<port>, no trailing slash: AWS_ENDPOINT_URL / the SDK's `endpoint`. */
  readonly endpoint: string;
  readonly region: "us-east-1";
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** What an AWS client needs: credentials, region, AWS_ENDPOINT_URL; no shared config files. */
  readonly env: Readonly<Record<string, string>>;
  readonly pid: number;
  /** The server's directory (launcher, moto_server.log, spooled objects). */
  readonly dir: string;
  createBucket(name: string): Promise<void>;
  /** A Buffer goes up in one PutObject (SDK); a string is a file path, copied by `aws s3 cp` (multipart above 8 MB). */
  putObject(bucket: string, key: string, body: Buffer | string): Promise<void>;
  /** Ends the server's process group and deletes its directory. Idempotent. */
  stop(): Promise<void>;
}

// Runs moto's server from a file in the server directory, so that its command line names the
// directory (`pgrep -fa mdo-s3-` finds strays) and `moto_server`.
const LAUNCHER = "from moto.server import main\nmain()\n";
// The three unauthenticated calls. Prints the access key as JSON.
const BOOTSTRAP = `
import json, sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="mdo-test")
iam.put_user_policy(UserName="mdo-test", PolicyName="s3-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="mdo-test")["AccessKey"]
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
`;
const UNAUTHENTICATED_CALLS = 3;

/**
 * `signing: "off"` runs moto without its IAM checks (any or no signature is accepted, STS hands
 * out credentials for any role): for credential flows moto cannot check, such as web identity.
 */
export async function startS3(options: StorageServerOptions & { signing?: "enforced" | "off" } = {}): Promise<RunningS3> {
  const enforced = options.signing !== "off";
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.log(`[s3] ${m}`));
  const tools = await storageTools();
  const home = await createServerHome("mdo-s3-");
  return startedOrCleanedUp(home, async () => {
    const [port] = await freePorts(1);
    const endpoint = `http://${host}:${port!}`;
    await writeFile(join(home.dir, "moto_server.py"), LAUNCHER);
    const started = await home.spawn("moto_server", tools.python, [join(home.dir, "moto_server.py"), "-H", host, "-p", String(port!)], {
      ...process.env,
      ...(enforced && { INITIAL_NO_AUTH_ACTION_COUNT: String(UNAUTHENTICATED_CALLS) }),
      TMPDIR: home.dir, // spooled objects
      PYTHONUNBUFFERED: "1",
    });
    // The dashboard is no action: probing it spends none of the unauthenticated calls.
    await waitUntilServing("moto_server", started, async () => (await get({ url: `${endpoint}/moto-api/` })).status === 200);
    const key = enforced
      ? (JSON.parse((await run(tools.python, ["-c", BOOTSTRAP, endpoint], { timeout: 60_000 })).stdout) as { id: string; secret: string })
      : { id: "AKIDMDOUNCHECKED", secret: "not-checked" };
    const env = {
      AWS_ACCESS_KEY_ID: key.id, AWS_SECRET_ACCESS_KEY: key.secret, AWS_REGION: "us-east-1", AWS_DEFAULT_REGION: "us-east-1",
      AWS_ENDPOINT_URL: endpoint, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true",
    };
    const client = new S3Client({
      endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: key.id, secretAccessKey: key.secret },
    });
    log(`moto S3 at ${endpoint} (pid ${started.pid}, access key ${key.id}, signing ${enforced ? "enforced" : "off"})`);
    return {
      endpoint, region: "us-east-1", accessKeyId: key.id, secretAccessKey: key.secret, env, pid: started.pid, dir: home.dir,
      createBucket: async (name) => {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      },
      putObject: async (bucket, objectKey, body) => {
        if (typeof body !== "string") {
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: body }));
          return;
        }
        await run(tools.awsCli, ["s3", "cp", "--endpoint-url", endpoint, "--only-show-errors", "--no-progress", body, `s3://${bucket}/${objectKey}`], {
          env: { ...process.env, ...env }, timeout: 30 * 60_000,
        });
      },
      stop: async () => {
        client.destroy();
        await home.stop();
      },
    };
  });
}
