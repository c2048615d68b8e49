// spec.rollout.webhooks: HTTP calls at fixed points of a rollout, for load tests, approvals and
// notifications.
import { z } from "zod";
import { duration } from "./duration.ts";
import { listMap } from "./lists.ts";
import { dnsLabel } from "./names.ts";

export const WEBHOOK_TYPES = ["PreRollout", "ConfirmPromotion", "PostRollout", "Rollback"] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

const Webhook = z
  .strictObject({
    name: dnsLabel("Name of the webhook, unique within the rollout; shown in status and Events."),
    type: z
      .enum(WEBHOOK_TYPES)
      .describe(
        "When it is called and what its answer means. PreRollout: before the new revision gets " +
          "traffic; a failure (after retries) rolls the rollout back. ConfirmPromotion: before " +
          "promotion; the rollout waits until it answers 2xx (asked again every 30s). " +
          "PostRollout: after a promotion or a rollback, for notification; failures are only " +
          "reported. Rollback: asked every analysis interval during a rollout; a 2xx answer " +
          "rolls it back.",
      ),
    url: z
      .string()
      .min(8)
      .max(2048)
      .regex(/^https?:\/\/[^\s]+$/)
      .describe("http:// or https:// URL that receives a POST with a JSON description of the rollout."),
    timeout: duration("How long one call may take, 1s to 5m.", { min: "1s", max: "5m" }).default("10s"),
    retries: z
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe("Further attempts after a failed call (network error, timeout or 5xx), 0 to 10, 1s apart."),
    metadata: z
      .record(z.string().max(253), z.string().max(4096))
      .meta({ maxProperties: 32 })
      .optional()
      .describe("String values, at most 32, passed through in the request body's `metadata`."),
  })
  .describe("An HTTP call at one point of a rollout.");

export const Webhooks = listMap(z.array(Webhook).min(1).max(8), "name").describe(
  "Webhooks called during rollouts, 1 to 8, with unique names.",
);
export type WebhookSpec = z.output<typeof Webhook>;
