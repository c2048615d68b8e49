// Shared inputs of the builder tests: the examples, a small base ModelDeployment, contexts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { V1Container, V1PodSpec } from "@kubernetes/client-node";
import { load } from "js-yaml";
import { parseModelDeployment, type ModelDeployment, type ModelDeploymentInput } from "../../../src/api/index.ts";
import { RuntimeCatalog } from "../../../src/catalog/catalog.ts";
import { computeRevision, type BuildContext } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { withOperatorDefaults } from "../../../src/controllers/modeldeployment/defaults.ts";
import { DEFAULT_SETTINGS, type OperatorSettings } from "../../../src/controllers/modeldeployment/settings.ts";

export const UID = "00000000-0000-0000-0000-000000000001";
export const NAMESPACE = "ml";
export const EXAMPLES_DIR = join(import.meta.dirname, "..", "..", "..", "examples");
export const CATALOG = RuntimeCatalog.builtin();

/** File names of examples/*.yaml, sorted. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".yaml")).sort();
}

/** Validates `input` as a ModelDeployment; throws with the parser's message when invalid. */
export function parse(input: unknown): ModelDeployment {
  const result = parseModelDeployment(input);
  if (!result.ok) throw result.error;
  return result.value;
}

/** An example, in namespace "ml" with a fixed uid, as the operator would read it from the cache. */
export function loadExample(file: string): ModelDeployment {
  const input = load(readFileSync(join(EXAMPLES_DIR, file), "utf8")) as ModelDeploymentInput;
  input.metadata = { ...input.metadata, namespace: NAMESPACE, uid: UID };
  return parse(input);
}

/** A small valid sklearn ModelDeployment (2 replicas, MLServer), changed by `mutate` before parsing. */
export function modelDeployment(mutate: (input: ModelDeploymentInput) => void = () => {}): ModelDeployment {
  const input: ModelDeploymentInput = {
    apiVersion: "mdo.dev/v1alpha1",
    kind: "ModelDeployment",
    metadata: { name: "fraud", namespace: NAMESPACE, uid: UID },
    spec: {
      model: { uri: "s3://models/fraud/v7", format: "sklearn", storageSecretRef: { name: "s3-creds" } },
      replicas: 2,
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
    },
  };
  mutate(input);
  return parse(input);
}

/** The context the controller would build: runtime resolved by `catalog`, its defaults filled in (converge.ts), revision computed. */
export function contextFor(parsed: ModelDeployment, settings: OperatorSettings = DEFAULT_SETTINGS, catalog = CATALOG): BuildContext {
  const runtime = catalog.resolve(parsed.spec.model.format, parsed.spec.protocol, parsed.spec.model.runtime);
  const { md } = withOperatorDefaults(parsed, runtime);
  return { md, runtime, settings, revision: computeRevision(md, runtime, settings) };
}

/** Every container of a pod spec, init containers first. */
export function allContainers(spec: V1PodSpec | undefined): V1Container[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

/** The container named `name`; throws when absent. */
export function container(spec: V1PodSpec | undefined, name: string): V1Container {
  const found = allContainers(spec).find((c) => c.name === name);
  if (found === undefined) throw new Error(`no container ${name}`);
  return found;
}
