// The CustomResourceDefinitions of MDO's kinds, built from their zod schemas: the YAML in crds/ is
// generated from this (scripts/generate.ts) and never edited by hand.
import { z } from "zod";
import { BATCH_KIND, BATCH_PLURAL, BATCH_SHORT_NAMES, BATCH_SINGULAR, BatchPrediction } from "./batchprediction.ts";
import {
  API_VERSION,
  CATEGORIES,
  GROUP,
  KIND,
  ModelDeployment,
  PLURAL,
  SHORT_NAMES,
  SINGULAR,
  VERSION,
} from "./modeldeployment.ts";
import { schemaViolations } from "./structural-check.ts";
import { toStructuralSchema, type StructuralSchema } from "./structural.ts";

export const CRD_NAME = `${PLURAL}.${GROUP}`;
export const BATCH_CRD_NAME = `${BATCH_PLURAL}.${GROUP}`;

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description: string;
  priority?: number;
}

/** The apiextensions.k8s.io/v1 CustomResourceDefinition, as plain data ready to serialise. */
export interface CustomResourceDefinition {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[]; categories: string[] };
    scope: "Namespaced";
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: StructuralSchema };
      subresources: {
        status: Record<string, never>;
        scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
      };
      additionalPrinterColumns: PrinterColumn[];
    }[];
  };
}

/** Columns of `kubectl get modeldeployments`; priority 1 columns show with `-o wide`. */
export const PRINTER_COLUMNS: readonly PrinterColumn[] = [
  { name: "Format", type: "string", jsonPath: ".spec.model.format", description: "Model format." },
  { name: "Version", type: "string", jsonPath: ".status.stable.modelVersion", description: "Model version serving stable traffic." },
  { name: "Phase", type: "string", jsonPath: ".status.phase", description: "One-word summary of the state." },
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: "Status of the Ready condition." },
  { name: "Replicas", type: "integer", jsonPath: ".status.readyReplicas", description: "Ready replicas of all revisions." },
  { name: "Canary", type: "integer", jsonPath: ".status.canary.weight", description: "Percent of traffic on the canary revision." },
  { name: "URI", type: "string", jsonPath: ".spec.model.uri", description: "Model location.", priority: 1 },
  { name: "URL", type: "string", jsonPath: ".status.url", description: "Inference endpoint.", priority: 1 },
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
];

/** Columns of `kubectl get batchpredictions`; priority 1 columns show with `-o wide`. */
export const BATCH_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  { name: "Schedule", type: "string", jsonPath: ".spec.schedule", description: "Cron schedule; empty for a single run." },
  { name: "Phase", type: "string", jsonPath: ".status.phase", description: "One-word summary of the state." },
  { name: "Shards", type: "integer", jsonPath: ".status.shards.succeeded", description: "Shards of the current run done." },
  { name: "Rows", type: "integer", jsonPath: ".status.rows.succeeded", description: "Rows predicted by the current run's finished shards." },
  { name: "Failed", type: "integer", jsonPath: ".status.rows.failed", description: "Rows that failed in the current run's finished shards." },
  { name: "Started", type: "date", jsonPath: ".status.startTime", description: "When the current run started." },
  { name: "Output", type: "string", jsonPath: ".spec.output.uri", description: "Where the predictions go.", priority: 1 },
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp", description: "Time since creation." },
];

/** A schema that violates the structural rules or the project's schema policy. */
export class InvalidCRDSchemaError extends Error {
  override readonly name = "InvalidCRDSchemaError";
}

/**
 * The openAPIV3Schema of the CRD version: zod's JSON Schema converted to structural form, with the
 * root fields the API server owns (apiVersion, kind, metadata) reduced to what it allows. Throws
 * InvalidCRDSchemaError when the result is not structural or breaks the schema policy.
 */
export function buildOpenAPISchema(schemaOf: z.ZodType = ModelDeployment, kind: string = KIND): StructuralSchema {
  const json = z.toJSONSchema(schemaOf, {
    target: "openapi-3.0",
    io: "input",
    unrepresentable: "throw",
    cycles: "throw",
    reused: "inline",
  });
  const schema = toStructuralSchema(json);
  const properties = schema.properties ?? {};
  schema.properties = {
    apiVersion: { description: `API version of the object: ${API_VERSION}.`, type: "string" },
    kind: { description: `Kind of the object: ${kind}.`, type: "string" },
    metadata: { type: "object" },
    ...Object.fromEntries(Object.entries(properties).filter(([name]) => !["apiVersion", "kind", "metadata"].includes(name))),
  };
  schema.required = ["spec"];
  // The API server owns these root fields and validates them itself.
  const serverOwned = new Set([".apiVersion", ".kind", ".metadata"]);
  const violations = schemaViolations(schema).filter((v) => !serverOwned.has(v.path));
  if (violations.length > 0) {
    const list = violations.map((v) => `${v.path}: ${v.problem}`).join("\n");
    throw new InvalidCRDSchemaError(`the ${kind} schema is not a valid CRD schema:\n${list}`);
  }
  return schema;
}

interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  schema: z.ZodType;
  printerColumns: readonly PrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
}

function buildCRD(def: KindDefinition): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${def.plural}.${GROUP}`, labels: { "app.kubernetes.io/part-of": "mdo" } },
    spec: {
      group: GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: [...def.shortNames],
        categories: [...CATEGORIES],
      },
      scope: "Namespaced",
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: buildOpenAPISchema(def.schema, def.kind) },
          subresources: { status: {}, ...(def.scale !== undefined && { scale: def.scale }) },
          additionalPrinterColumns: def.printerColumns.map((column) => ({ ...column })),
        },
      ],
    },
  };
}

/** The CustomResourceDefinition of ModelDeployment. Pure and deterministic. */
export function buildModelDeploymentCRD(): CustomResourceDefinition {
  return buildCRD({
    kind: KIND, plural: PLURAL, singular: SINGULAR, shortNames: SHORT_NAMES, schema: ModelDeployment, printerColumns: PRINTER_COLUMNS,
    scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".status.selector" },
  });
}

/** The CustomResourceDefinition of BatchPrediction. Pure and deterministic. */
export function buildBatchPredictionCRD(): CustomResourceDefinition {
  return buildCRD({
    kind: BATCH_KIND, plural: BATCH_PLURAL, singular: BATCH_SINGULAR, shortNames: BATCH_SHORT_NAMES, schema: BatchPrediction, printerColumns: BATCH_PRINTER_COLUMNS,
  });
}
