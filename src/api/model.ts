// spec.model: where the trained model lives and how to read it.
import { z } from "zod";
import { LABEL_VALUE, dnsLabel, dnsSubdomain } from "./names.ts";
import { MODEL_FORMATS } from "./model-formats.ts";
import { celString, withRules } from "./rules.ts";

export { MODEL_FORMATS, type ModelFormat } from "./model-formats.ts";

/**
 * URI schemes the model fetcher supports (src/delivery). Plain http:// is refused: nothing would
 * protect the model in transit. Azure Blob Storage and other web stores are reached through
 * https://. hf:// (the Hugging Face Hub) is refused with its own message: no hub-compatible
 * server could be tested, and MDO ships no untested scheme.
 */
export const MODEL_URI_SCHEMES = ["s3", "gs", "https", "pvc", "oci"] as const;

const SCHEME_LIST = MODEL_URI_SCHEMES.map((s) => `${s}://`).join(", ");
// Patterns kept as strings: RegExp.source would escape every "/" and clutter the CEL rules.
const URI_PATTERN = `^(${MODEL_URI_SCHEMES.join("|")})://[^ ]+$`;
const PVC_URI_PATTERN = "^pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*(/[^ ]*)?$";
const URI = new RegExp(URI_PATTERN);
const PVC_URI = new RegExp(PVC_URI_PATTERN);

const ModelUri = withRules(
  z
    .string()
    .min(1)
    .max(2048)
    .describe(
      `Location of the model artifact. Supported schemes: ${SCHEME_LIST}: an S3 or GCS object ` +
        "or prefix (s3://<bucket>/<key>), an HTTPS URL (a .tar.gz, .tgz, .tar or .zip is extracted), " +
        "an OCI artifact (oci://<registry>/<repository>:<tag> or @sha256:<digest>), or " +
        "pvc://<claim-name>/<path> on a PersistentVolumeClaim in the same namespace. Plain http:// " +
        "and hf:// are refused. Changing the URI starts a new rollout.",
    ),
  [
    {
      cel: "!self.startsWith('hf://')",
      holds: (self) => !self.startsWith("hf://"),
      message: "hf:// (the Hugging Face Hub) is not supported: put the model directory in s3://, gs://, https:// (an archive), oci:// or a pvc://",
    },
    {
      cel: `self.matches(${celString(URI_PATTERN)})`,
      holds: (self) => URI.test(self),
      message: `must start with one of ${SCHEME_LIST} (plain http:// is refused) and contain no spaces`,
    },
    {
      cel: `!self.startsWith('pvc://') || self.matches(${celString(PVC_URI_PATTERN)})`,
      holds: (self) => !self.startsWith("pvc://") || PVC_URI.test(self),
      message: "must have the form pvc://<claim-name>/<path>, where <claim-name> is a PersistentVolumeClaim name",
    },
  ],
);

const ModelSpecShape = z
  .strictObject({
    uri: ModelUri,
    format: z
      .enum(MODEL_FORMATS)
      .describe(
        "Serialisation format of the model. It selects the serving runtime unless `runtime` is " +
          "set; `custom` means the model is served by your own `spec.image`.",
      ),
    version: z
      .string()
      .min(1)
      .max(63)
      .regex(LABEL_VALUE)
      .optional()
      .describe(
        "Version label shown in status, printer columns and metrics, such as v7. It must be a " +
          "valid label value. When absent, the operator uses the last path segment of the URI.",
      ),
    runtime: dnsLabel(
      "Name of a serving runtime from the operator's runtime catalog, such as mlserver or " +
        "triton. When absent, the catalog's default runtime for `format` is used. An unknown " +
        "name is reported as a Stalled condition.",
    ).optional(),
    digest: z
      .string()
      .length(71)
      .regex(/^sha256:[a-f0-9]{64}$/)
      .optional()
      .describe(
        "Integrity pin as sha256:<64 lower-case hex digits>: the SHA-256 of the file the URI " +
          "names (an archive before extraction), or the canonical tree digest of a directory " +
          "(an S3/GCS prefix, an OCI artifact, a pvc:// path); `mdo digest <path-or-uri>` prints " +
          "it. The model is verified before its pods start; a mismatch stops the revision " +
          "(ModelDigestMismatch) and rolls a canary back.",
      ),
    storageSecretRef: z
      .strictObject({
        name: dnsSubdomain("Name of a Secret in the same namespace as the ModelDeployment."),
      })
      .optional()
      .describe(
        "Secret with what the fetcher needs to download the model, mounted as files into the " +
          "fetcher only: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, " +
          "S3_FORCE_PATH_STYLE for s3://; service-account.json or STORAGE_EMULATOR_HOST for gs://; " +
          "authorization for https://; .dockerconfigjson for oci://; ca.crt to trust a private CA. " +
          "Credentials are never written inline.",
      ),
  })
  .describe("The trained model to serve.");

export const ModelSpec = withRules(ModelSpecShape, [
  {
    cel: "!has(self.storageSecretRef) || !self.uri.startsWith('pvc://')",
    holds: (self) => self.storageSecretRef === undefined || !self.uri.startsWith("pvc://"),
    message:
      "spec.model.storageSecretRef must not be set for pvc:// URIs: a PersistentVolumeClaim is mounted, not downloaded",
    fieldPath: ".storageSecretRef",
    reason: "FieldValueForbidden",
  },
]);
export type ModelSpec = z.output<typeof ModelSpec>;
