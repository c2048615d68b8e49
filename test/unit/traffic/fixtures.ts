// Inputs of the traffic router tests: a ModelDeployment using GatewayAPI, router inputs.
import type { ModelDeployment, ModelDeploymentInput } from "../../../src/api/index.ts";
import { DEFAULT_SETTINGS } from "../../../src/controllers/modeldeployment/settings.ts";
import type { TrafficInput } from "../../../src/traffic/router.ts";
import { modelDeployment } from "../builders/fixtures.ts";

export { NAMESPACE, UID, contextFor, modelDeployment } from "../builders/fixtures.ts";

export const STABLE = "aaaa1111";
export const CANARY = "bbbb2222";

/** The builders' fixture ("fraud" in "ml") rolled out as a Canary through GatewayAPI. */
export function gatewayMd(mutate: (input: ModelDeploymentInput) => void = () => {}): ModelDeployment {
  return modelDeployment((input) => {
    input.metadata = { ...input.metadata, labels: { team: "risk" } };
    input.spec.rollout = {
      strategy: "Canary",
      steps: [{ weight: 10 }, { weight: 50 }],
      trafficRouter: {
        type: "GatewayAPI",
        gatewayAPI: { parentRefs: [{ name: "gw", namespace: "infra", sectionName: "http" }], hostnames: ["fraud.example.com"] },
      },
    };
    mutate(input);
  });
}

/** Router input with stable STABLE and canary `canary` (null: no rollout). */
export function input(md: ModelDeployment, weight: number, budget: number, canary: string | null = CANARY): TrafficInput {
  return {
    md,
    settings: DEFAULT_SETTINGS,
    stableRevision: STABLE,
    ...(canary !== null && { canaryRevision: canary }),
    canaryWeight: weight,
    budget,
  };
}
