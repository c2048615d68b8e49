// spec.nodeSelector and spec.tolerations: where the replicas may run (GPU pools, on-premises nodes).
import { z } from "zod";
import { listAtomic } from "./lists.ts";
import { LABEL_KEY } from "./names.ts";
import { withRules } from "./rules.ts";

const MAX_NODE_SELECTOR_LABELS = 32;
const OPTIONAL_LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const NodeSelector = z
  .record(z.string(), z.string().max(63).regex(OPTIONAL_LABEL_VALUE))
  .refine((labels) => Object.keys(labels).length <= MAX_NODE_SELECTOR_LABELS, {
    message: `must have at most ${MAX_NODE_SELECTOR_LABELS} labels`,
  })
  .meta({ maxProperties: MAX_NODE_SELECTOR_LABELS })
  .describe(
    `Node labels every replica's node must have, at most ${MAX_NODE_SELECTOR_LABELS}; copied ` +
      "to the pods' nodeSelector. Label keys are checked when the pods are created.",
  );

const TolerationShape = z
  .strictObject({
    key: z
      .string()
      .min(1)
      .max(316)
      .regex(LABEL_KEY)
      .optional()
      .describe("Taint key the toleration matches; when absent, operator must be Exists and it matches every taint."),
    operator: z
      .enum(["Exists", "Equal"])
      .default("Equal")
      .describe("Equal matches taints with this key and value; Exists matches any value."),
    value: z.string().max(63).regex(OPTIONAL_LABEL_VALUE).optional().describe("Taint value matched by Equal."),
    effect: z
      .enum(["NoSchedule", "PreferNoSchedule", "NoExecute"])
      .optional()
      .describe("Taint effect matched; when absent, every effect."),
    tolerationSeconds: z
      .int()
      .min(0)
      .max(31_536_000)
      .optional()
      .describe("How long a NoExecute taint is tolerated before eviction; when absent, forever."),
  })
  .describe("A toleration copied to the pods, as in a Pod spec.");

const Toleration = withRules(TolerationShape, [
  {
    cel: "self.operator != 'Exists' || !has(self.value)",
    holds: (self) => self.operator !== "Exists" || self.value === undefined,
    message: "spec.tolerations[].value must not be set when operator is Exists",
    fieldPath: ".value",
    reason: "FieldValueForbidden",
  },
  {
    cel: "has(self.key) || self.operator == 'Exists'",
    holds: (self) => self.key !== undefined || self.operator === "Exists",
    message: "spec.tolerations[].operator must be Exists when key is absent",
    fieldPath: ".operator",
  },
  {
    cel: "!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')",
    holds: (self) => self.tolerationSeconds === undefined || self.effect === "NoExecute",
    message: "spec.tolerations[].tolerationSeconds is only allowed when effect is NoExecute",
    fieldPath: ".tolerationSeconds",
    reason: "FieldValueForbidden",
  },
]);

export const Tolerations = listAtomic(z.array(Toleration).max(32)).describe(
  "Tolerations copied to the pods, at most 32, to run on tainted nodes such as GPU pools.",
);
