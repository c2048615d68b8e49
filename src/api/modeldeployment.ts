// The ModelDeployment resource: identity (group, version, names) and the root schema.
import { z } from "zod";
import { DNS1035_LABEL } from "./names.ts";
import { ObjectMeta } from "./object-meta.ts";
import { celString, withRules } from "./rules.ts";
import { ModelDeploymentSpec } from "./spec.ts";
import { ModelDeploymentStatus } from "./status.ts";

export const GROUP = "mdo.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = "ModelDeployment";
export const PLURAL = "modeldeployments";
export const SINGULAR = "modeldeployment";
export const SHORT_NAMES = ["mdep"] as const;
export const CATEGORIES = ["mdo", "all"] as const;

/**
 * Longest ModelDeployment name: child objects are named <name>-<suffix> with suffixes of up to
 * 17 characters, and Service names are DNS-1035 labels of at most 63.
 */
export const MAX_NAME_LENGTH = 45;

const ModelDeploymentShape = z
  .strictObject({
    apiVersion: z.literal(API_VERSION).describe(`API version of the object: ${API_VERSION}.`),
    kind: z.literal(KIND).describe(`Kind of the object: ${KIND}.`),
    metadata: ObjectMeta,
    spec: ModelDeploymentSpec,
    status: ModelDeploymentStatus.optional(),
  })
  .describe(
    "A trained model served on Kubernetes: replicas of a model server behind an MDO agent, " +
      "rolled out by canary, blue-green or rolling update, and watched for drift.",
  );

export const ModelDeployment = withRules(ModelDeploymentShape, [
  {
    cel:
      `size(self.metadata.name) <= ${MAX_NAME_LENGTH} && ` +
      `self.metadata.name.matches(${celString(DNS1035_LABEL.source)})`,
    holds: (self) => {
      const name = self.metadata.name;
      return name === undefined || (name.length <= MAX_NAME_LENGTH && DNS1035_LABEL.test(name));
    },
    message:
      `metadata.name must be a DNS-1035 label of at most ${MAX_NAME_LENGTH} characters ` +
      "(lower-case letters, digits and '-', starting with a letter), because the Services and " +
      "Deployments of the ModelDeployment are named after it",
  },
]);
export type ModelDeployment = z.output<typeof ModelDeployment>;
/** A ModelDeployment as written by users, before defaults. */
export type ModelDeploymentInput = z.input<typeof ModelDeployment>;
