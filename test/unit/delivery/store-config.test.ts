import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentialsOf } from "../../../src/delivery/credentials.ts";
import { DeliveryError } from "../../../src/delivery/errors.ts";
import { gcsClientOptions } from "../../../src/delivery/stores/gcs.ts";
import { s3ClientConfig } from "../../../src/delivery/stores/s3.ts";

const secret = (values: Record<string, string>) => credentialsOf("creds", new Map(Object.entries(values)));

describe("S3 client configuration", () => {
  it("takes static keys only from the Secret; endpoint and region from the Secret, then the environment", () => {
    const config = s3ClientConfig(secret({ AWS_ACCESS_KEY_ID: "AKIA1", AWS_SECRET_ACCESS_KEY: "s3cr3t\n", AWS_ENDPOINT_URL: "http://minio:9000" }), { AWS_REGION: "eu-west-1" });
    assert.deepEqual(config.credentials, { accessKeyId: "AKIA1", secretAccessKey: "s3cr3t" });
    assert.equal(config.endpoint, "http://minio:9000");
    assert.equal(config.region, "eu-west-1");
    assert.equal(config.forcePathStyle, true, "path style by default with a custom endpoint");
    assert.equal(config.maxAttempts, 1, "the downloader retries, not the SDK");
  });

  it("leaves credentials to the SDK's default chain (IRSA, instance roles) without a Secret, virtual-hosted style on AWS", () => {
    const config = s3ClientConfig(secret({}), { AWS_ACCESS_KEY_ID: "from-env-is-the-chain's-business" });
    assert.equal(config.credentials, undefined);
    assert.equal(config.endpoint, undefined);
    assert.equal(config.region, "us-east-1");
    assert.equal(config.forcePathStyle, false);
  });

  it("honours S3_FORCE_PATH_STYLE and AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL", () => {
    const config = s3ClientConfig(secret({ AWS_ENDPOINT_URL: "http://a", AWS_ENDPOINT_URL_S3: "http://b", S3_FORCE_PATH_STYLE: "false" }), {});
    assert.deepEqual([config.endpoint, config.forcePathStyle], ["http://b", false]);
  });
});

describe("GCS client options", () => {
  it("uses the Secret's service-account key and emulator endpoint (with or without /storage/v1)", () => {
    const key = { type: "service_account", client_email: "reader@p.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\n" };
    const options = gcsClientOptions(secret({ "service-account.json": JSON.stringify(key), STORAGE_EMULATOR_HOST: "http://127.0.0.1:4443/storage/v1/" }));
    assert.deepEqual(options.credentials, key);
    assert.equal(options.apiEndpoint, "http://127.0.0.1:4443");
    assert.deepEqual(options.retryOptions, { autoRetry: false });
  });

  it("falls back to Application Default Credentials, and refuses a key that is not JSON without quoting it", () => {
    assert.deepEqual(gcsClientOptions(secret({})), { retryOptions: { autoRetry: false } });
    assert.throws(() => gcsClientOptions(secret({ "service-account.json": "-----BEGIN PRIVATE KEY----- secret" })), (e) =>
      e instanceof DeliveryError && e.reason === "ModelAccessDenied" && !e.message.includes("secret") && e.message.includes("creds"));
  });
});
