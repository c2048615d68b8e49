// spec.serving: what the MDO agent in front of the model server enforces on each request.
import { z } from "zod";
import { duration } from "./duration.ts";
import { configKey, dnsSubdomain } from "./names.ts";
import { PayloadLoggingSpec } from "./payload-logging.ts";
import { boundedQuantity } from "./quantity.ts";

const AuthSpec = z
  .strictObject({
    apiKeySecretRef: z
      .strictObject({
        name: dnsSubdomain("Name of a Secret in the same namespace as the ModelDeployment."),
        key: configKey("Key in the Secret whose value is the API key (default api-key).").default("api-key"),
      })
      .describe(
        "Secret key holding the API key. Requests must send it as `Authorization: Bearer " +
          "<key>`; others get 401. Rotating the Secret takes effect without a rollout.",
      ),
  })
  .describe("Request authentication by the MDO agent.");

const CacheSpec = z
  .strictObject({
    maxEntries: z
      .int()
      .min(1)
      .max(1_000_000)
      .describe("Most cached predictions per replica, 1 to 1000000; least recently used go first."),
    ttl: duration("How long a cached prediction stays valid, 1s to 24h.", {
      min: "1s",
      max: "24h",
    }),
  })
  .describe(
    "Prediction cache in each replica's agent, keyed by the request body. Use it only for " +
      "deterministic models; a new revision starts with an empty cache.",
  );

export const ServingSpec = z
  .strictObject({
    auth: AuthSpec.optional(),
    cache: CacheSpec.optional(),
    maxRequestBytes: boundedQuantity(
      'Largest accepted request body, such as "1Mi", 1 byte to 256Mi; larger requests get 413. ' +
        "When absent, 10Mi.",
      "1",
      "256Mi",
    ).optional(),
    timeout: duration(
      "Longest time the agent waits for the model server's response, 100ms to 1h; then 504. " +
        "When absent, 60s.",
      { min: "100ms", max: "1h" },
    ).optional(),
    maxConcurrency: z
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe(
        "Most requests in flight per replica, 1 to 10000; more are refused with 503 so " +
          "clients retry elsewhere. When absent, unlimited.",
      ),
    payloadLogging: PayloadLoggingSpec.optional(),
  })
  .describe("Request handling by the MDO agent in front of the model server.");
export type ServingSpec = z.output<typeof ServingSpec>;
