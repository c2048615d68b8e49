// The ModelDeployment API (mdo.dev/v1alpha1): schemas, types, validation and the CRD.
export * from "./modeldeployment.ts";
export * from "./spec.ts";
export * from "./status.ts";
export * from "./condition.ts";
export * from "./model.ts";
export * from "./resources.ts";
export * from "./scaling.ts";
export * from "./rollout.ts";
export * from "./analysis.ts";
export * from "./traffic-router.ts";
export * from "./monitoring.ts";
export * from "./serving.ts";
export * from "./network-policy.ts";
export { parseModelDeployment, formatFieldPath, InvalidModelDeploymentError } from "./parse.ts";
export type { FieldIssue, ParseResult } from "./parse.ts";
export { parseDuration } from "./duration.ts";
export { parseQuantity, compareQuantities } from "./quantity.ts";
export { buildModelDeploymentCRD, CRD_NAME } from "./crd.ts";
