import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentConfig } from "../../../src/agent/config.ts";
import { buildModelDeploymentCRD, CRD_NAME, PRINTER_COLUMNS } from "../../../src/api/crd.ts";
import { schemaViolations } from "../../../src/api/structural-check.ts";
import type { StructuralSchema } from "../../../src/api/structural.ts";

const crd = buildModelDeploymentCRD();
const version = crd.spec.versions[0];
const schema = version?.schema.openAPIV3Schema;

/** Every node of a schema with its path (int-or-string anyOf branches are type markers, not nodes). */
function* walk(node: StructuralSchema, path = ""): Generator<[string, StructuralSchema]> {
  yield [path, node];
  for (const [name, child] of Object.entries(node.properties ?? {})) yield* walk(child, `${path}.${name}`);
  if (node.items !== undefined) yield* walk(node.items, `${path}[]`);
  if (node.additionalProperties !== undefined) yield* walk(node.additionalProperties, `${path}{}`);
}

/** The node at a simple path such as ".spec.replicas", following properties only. */
function at(path: string): StructuralSchema | undefined {
  let node: StructuralSchema | undefined = schema;
  for (const name of path.split(".").slice(1)) node = node?.properties?.[name];
  return node;
}

describe("buildModelDeploymentCRD", () => {
  it("describes drift windows as what they are: rows per pod, tumbling, not the most recent requests", () => {
    for (const path of [".status.drift.window", ".spec.monitoring.drift.window"]) {
      const description = at(path)?.description ?? "";
      assert.doesNotMatch(description, /most recent requests/, path);
      assert.match(description, /rows/i, path);
    }
    assert.match(at(".status.drift.window")?.description ?? "", /tumbling windows .* summed/);
    assert.match(AgentConfig.shape.drift.unwrap().shape.window.description ?? "", /tumbling window of this pod/);
  });

  it("names the resource as documented", () => {
    assert.equal(crd.metadata.name, CRD_NAME);
    assert.equal(CRD_NAME, "modeldeployments.mdo.dev");
    assert.deepEqual(crd.spec.names, {
      kind: "ModelDeployment",
      listKind: "ModelDeploymentList",
      plural: "modeldeployments",
      singular: "modeldeployment",
      shortNames: ["mdep"],
      categories: ["mdo", "all"],
    });
    assert.equal(crd.spec.scope, "Namespaced");
  });

  it("serves and stores exactly v1alpha1", () => {
    assert.equal(crd.spec.versions.length, 1);
    assert.equal(version?.name, "v1alpha1");
    assert.equal(version?.served, true);
    assert.equal(version?.storage, true);
  });

  it("has status and scale subresources whose paths exist in the schema", () => {
    assert.deepEqual(version?.subresources.status, {});
    const scale = version?.subresources.scale;
    assert.deepEqual(scale, {
      specReplicasPath: ".spec.replicas",
      statusReplicasPath: ".status.replicas",
      labelSelectorPath: ".status.selector",
    });
    assert.equal(at(".spec.replicas")?.type, "integer");
    assert.equal(at(".status.replicas")?.type, "integer");
    assert.equal(at(".status.selector")?.type, "string");
  });

  it("prints columns whose simple paths exist in the schema", () => {
    const names = version?.additionalPrinterColumns.map((c) => c.name);
    assert.deepEqual(names, ["Format", "Version", "Phase", "Ready", "Replicas", "Canary", "URI", "URL", "Age"]);
    for (const column of PRINTER_COLUMNS) {
      if (column.jsonPath.includes("[") || column.jsonPath.startsWith(".metadata")) continue;
      assert.ok(at(column.jsonPath), `${column.name}: ${column.jsonPath} is not in the schema`);
    }
  });

  it("reduces the root fields the API server owns to what it allows", () => {
    assert.deepEqual(schema?.properties?.metadata, { type: "object" });
    assert.equal(schema?.properties?.apiVersion?.type, "string");
    assert.equal(schema?.properties?.kind?.type, "string");
    assert.equal(schema?.properties?.apiVersion?.enum, undefined);
    assert.deepEqual(schema?.required, ["spec"]);
  });

  it("is structural and follows the schema policy", () => {
    assert.ok(schema);
    const serverOwned = new Set([".apiVersion", ".kind", ".metadata"]);
    assert.deepEqual(schemaViolations(schema).filter((v) => !serverOwned.has(v.path)), []);
  });

  it("contains no JSON Schema keyword the API server rejects", () => {
    assert.ok(schema);
    const forbidden = ["$schema", "$ref", "$defs", "definitions", "const", "oneOf", "allOf", "propertyNames", "uniqueItems"];
    for (const [path, node] of walk(schema)) {
      for (const key of forbidden) assert.ok(!(key in node), `${path || "<root>"} has ${key}`);
      if (node.properties !== undefined) assert.equal(node.additionalProperties, undefined, path);
    }
  });

  it("points every rule's fieldPath at a property of the node it is attached to", () => {
    assert.ok(schema);
    let rules = 0;
    for (const [path, node] of walk(schema)) {
      for (const rule of node["x-kubernetes-validations"] ?? []) {
        rules++;
        if (rule.fieldPath === undefined) continue;
        let target: StructuralSchema | undefined = node;
        for (const name of rule.fieldPath.split(".").slice(1)) target = target?.properties?.[name];
        assert.ok(target, `${path}: fieldPath ${rule.fieldPath} does not exist`);
      }
    }
    assert.ok(rules >= 30, `expected at least 30 CEL rules, found ${rules}`);
  });

  it("bounds every list and string that a CEL rule can reach", () => {
    assert.ok(schema);
    for (const [path, node] of walk(schema.properties?.spec ?? {}, ".spec")) {
      if (node.type === "array") assert.notEqual(node.maxItems, undefined, path);
      if (node.type === "string" && node.enum === undefined) assert.notEqual(node.maxLength, undefined, path);
    }
  });

  it("makes the conditions a list map keyed by type", () => {
    const conditions = at(".status.conditions");
    assert.equal(conditions?.["x-kubernetes-list-type"], "map");
    assert.deepEqual(conditions?.["x-kubernetes-list-map-keys"], ["type"]);
    assert.deepEqual(conditions?.items?.properties?.status?.enum, ["True", "False", "Unknown"]);
  });

  it("states the defaults it applies", () => {
    assert.equal(at(".spec.protocol")?.default, "v2");
    assert.equal(at(".spec.suspend")?.default, false);
    assert.equal(at(".spec.rollout.progressDeadline")?.default, "10m");
    assert.equal(at(".spec.monitoring.drift.action")?.default, "Alert");
    assert.equal(at(".spec.replicas")?.default, undefined, "replicas has no default: it is exclusive with autoscaling");
  });

  it("is deterministic", () => {
    assert.deepEqual(buildModelDeploymentCRD(), crd);
    assert.equal(JSON.stringify(buildModelDeploymentCRD()), JSON.stringify(crd));
  });
});
