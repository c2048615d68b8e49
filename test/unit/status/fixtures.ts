// Hand-built Deployments, Pods and observations for the status tests.
import { strict as assert } from "node:assert";
import type { V1ContainerStatus, V1Deployment, V1DeploymentCondition, V1Pod, V1PodCondition } from "@kubernetes/client-node";
import { ModelDeploymentSpec, ModelDeploymentStatus } from "../../../src/api/index.ts";
import type { ModelDeploymentStatus as Status } from "../../../src/api/index.ts";
import { childNames, LABEL_MODEL_DEPLOYMENT, LABEL_REVISION } from "../../../src/controllers/modeldeployment/labels.ts";
import { computeStatus } from "../../../src/controllers/modeldeployment/status/index.ts";
import type { Observation } from "../../../src/controllers/modeldeployment/status/index.ts";

export const NAME = "fraud";
export const NAMESPACE = "ml";
export const T0 = new Date("2025-03-01T10:00:00Z");

/** `minutes` after T0. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

export function spec(extra: Record<string, unknown> = {}): ModelDeploymentSpec {
  return ModelDeploymentSpec.parse({ model: { uri: "s3://models/fraud/v7", format: "sklearn" }, replicas: 2, ...extra });
}

export function observe(overrides: Partial<Observation> = {}): Observation {
  return {
    generation: 1,
    spec: spec(),
    name: NAME,
    namespace: NAMESPACE,
    revision: "rev1",
    modelVersion: "v7",
    deployments: [],
    pods: [],
    suspended: false,
    serviceUrl: `http://${NAME}.${NAMESPACE}.svc.cluster.local`,
    now: T0,
    ...overrides,
  };
}

export interface DeploymentCounts {
  target?: number;
  replicas?: number;
  updated?: number;
  ready?: number;
  available?: number;
  generation?: number;
  observedGeneration?: number;
  conditions?: V1DeploymentCondition[];
}

/** The Deployment of `revision`; counts default to `ready` (or 0), i.e. fully rolled out. */
export function deployment(revision: string, c: DeploymentCounts = {}): V1Deployment {
  const ready = c.ready ?? 0;
  const replicas = c.replicas ?? ready;
  return {
    metadata: {
      name: childNames.deployment(NAME, revision),
      namespace: NAMESPACE,
      generation: c.generation ?? 1,
      labels: { [LABEL_MODEL_DEPLOYMENT]: NAME, [LABEL_REVISION]: revision },
    },
    spec: { replicas: c.target ?? replicas, selector: {}, template: {} },
    status: {
      observedGeneration: c.observedGeneration ?? c.generation ?? 1,
      replicas,
      updatedReplicas: c.updated ?? replicas,
      readyReplicas: ready,
      availableReplicas: c.available ?? ready,
      ...(c.conditions === undefined ? {} : { conditions: c.conditions }),
    },
  };
}

export const deadlineExceeded: V1DeploymentCondition = {
  type: "Progressing",
  status: "False",
  reason: "ProgressDeadlineExceeded",
  message: 'ReplicaSet "fraud-rev1-6d9f" has timed out progressing.',
};

export interface PodShape {
  phase?: string;
  containers?: V1ContainerStatus[];
  initContainers?: V1ContainerStatus[];
  conditions?: V1PodCondition[];
  reason?: string;
  message?: string;
  memoryLimit?: string;
  sidecarInit?: string;
  deleting?: boolean;
}

export function pod(name: string, revision: string, shape: PodShape = {}): V1Pod {
  const limits = shape.memoryLimit === undefined ? undefined : { limits: { memory: shape.memoryLimit } };
  return {
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: { [LABEL_MODEL_DEPLOYMENT]: NAME, [LABEL_REVISION]: revision },
      ...(shape.deleting === true ? { deletionTimestamp: T0 } : {}),
    },
    spec: {
      containers: [{ name: "model-server", ...(limits === undefined ? {} : { resources: limits }) }, { name: "agent" }],
      initContainers: [
        { name: "model-fetcher" },
        ...(shape.sidecarInit === undefined ? [] : [{ name: shape.sidecarInit, restartPolicy: "Always" }]),
      ],
    },
    status: {
      phase: shape.phase ?? "Running",
      ...(shape.reason === undefined ? {} : { reason: shape.reason }),
      ...(shape.message === undefined ? {} : { message: shape.message }),
      conditions: shape.conditions ?? [],
      initContainerStatuses: shape.initContainers ?? [done("model-fetcher")],
      containerStatuses: shape.containers ?? [running("model-server"), running("agent")],
    },
  };
}

/** A container running since `since` (default T0 minus an hour); ready unless told otherwise. */
export function running(name: string, ready = true, since = at(-60)): V1ContainerStatus {
  return { name, image: "img", imageID: "", ready, restartCount: 0, state: { running: { startedAt: since } } };
}

export function done(name: string): V1ContainerStatus {
  return { name, image: "img", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } };
}

export function waiting(name: string, reason: string, message?: string, last?: { exitCode: number; reason?: string; message?: string }): V1ContainerStatus {
  return {
    name,
    image: "registry.example/fraud:v7",
    imageID: "",
    ready: false,
    restartCount: last === undefined ? 0 : 4,
    state: { waiting: { reason, ...(message === undefined ? {} : { message }) } },
    ...(last === undefined ? {} : { lastState: { terminated: last } }),
  };
}

export const crashLoop = (container = "model-server"): V1ContainerStatus =>
  waiting(container, "CrashLoopBackOff", `back-off 5m0s restarting failed container=${container} pod=fraud-rev1-a_ml(1234)`, {
    exitCode: 1,
    reason: "Error",
    message: "ValueError: model file not found",
  });

export const readyPods = (revision: string, n: number): V1Pod[] =>
  Array.from({ length: n }, (_, i) => pod(`${NAME}-${revision}-${i}`, revision));

/** rev1 (model v7) rolled out with 2 ready replicas at T0, generation 1: Ready and stable. */
export function stableStatus(): Status {
  return computeStatus(observe({ deployments: [deployment("rev1", { ready: 2 })], pods: readyPods("rev1", 2) }), undefined);
}

/** Asserts the status is valid against the schema, with no unknown fields, and returns it. */
export function valid(status: Status): Status {
  assert.deepEqual(ModelDeploymentStatus.parse(status), status);
  return status;
}

export function condition(status: Status, type: string) {
  const found = status.conditions?.find((c) => c.type === type);
  assert.ok(found !== undefined, `condition ${type} missing`);
  return found;
}
