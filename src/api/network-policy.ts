// spec.networkPolicy: who may reach the model's pods.
import { z } from "zod";
import { listSet } from "./lists.ts";
import { DNS1123_LABEL } from "./names.ts";
import { withRules } from "./rules.ts";

const NetworkPolicyShape = z
  .strictObject({
    enabled: z
      .boolean()
      .describe(
        "When true, the operator creates a NetworkPolicy that admits traffic to the replicas " +
          "only from the ModelDeployment's namespace, from allowedNamespaces, and from the " +
          "operator (for metrics and probes).",
      ),
    allowedNamespaces: listSet(z.array(z.string().min(1).max(63).regex(DNS1123_LABEL)).min(1).max(32))
      .optional()
      .describe("Other namespaces whose pods may call the model, at most 32."),
  })
  .describe("Network isolation of the replicas. Needs a network plugin that enforces NetworkPolicy.");

export const NetworkPolicySpec = withRules(NetworkPolicyShape, [
  {
    cel: "self.enabled || !has(self.allowedNamespaces)",
    holds: (self) => self.enabled || self.allowedNamespaces === undefined,
    message: "spec.networkPolicy.allowedNamespaces is only allowed when spec.networkPolicy.enabled is true",
    fieldPath: ".allowedNamespaces",
    reason: "FieldValueForbidden",
  },
]);
export type NetworkPolicySpec = z.output<typeof NetworkPolicySpec>;
