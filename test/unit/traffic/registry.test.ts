// The router registry: absent means Replicas, known names resolve, the rest is refused.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { UnknownTrafficRouterError } from "../../../src/traffic/errors.ts";
import { GatewayApiRouter } from "../../../src/traffic/gateway-api.ts";
import { ALL_ROUTER_KINDS, routerFor } from "../../../src/traffic/registry.ts";
import { ReplicasRouter } from "../../../src/traffic/replicas.ts";

test("no trafficRouter gives Replicas; Replicas and GatewayAPI resolve", () => {
  assert.ok(routerFor(undefined) instanceof ReplicasRouter);
  assert.ok(routerFor("Replicas") instanceof ReplicasRouter);
  assert.ok(routerFor("GatewayAPI") instanceof GatewayApiRouter);
});

test("Istio is in the API but refused: not available in this version", () => {
  assert.throws(() => routerFor("Istio"), (error: unknown) => {
    assert.ok(error instanceof UnknownTrafficRouterError);
    assert.equal(error.reason, "TrafficRouterNotAvailable");
    assert.equal(error.routerType, "Istio");
    assert.equal(error.message, "spec.rollout.trafficRouter.type Istio is not available in this version; use Replicas or GatewayAPI");
    return true;
  });
});

test("an unknown name is refused, never a fallback (names are case-sensitive)", () => {
  for (const name of ["Linkerd", "replicas", ""]) {
    assert.throws(() => routerFor(name), (error: unknown) => {
      assert.ok(error instanceof UnknownTrafficRouterError);
      assert.equal(error.reason, "UnknownTrafficRouter");
      assert.match(error.message, /not a traffic router this operator knows; use Replicas or GatewayAPI$/);
      return true;
    }, name);
  }
});

test("ALL_ROUTER_KINDS lists every kind a router creates, once", () => {
  assert.deepEqual(ALL_ROUTER_KINDS.map((k) => `${k.group}/${k.plural}`), ["/services", "gateway.networking.k8s.io/httproutes"]);
});
