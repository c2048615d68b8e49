import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildModelDeploymentCRD, parseModelDeployment, SINK_URL_PATTERN } from "../../../src/api/index.ts";
import { celString } from "../../../src/api/rules.ts";
import { mutate, VALID_BASE } from "../../fixtures/invalid-specs.ts";
import { SINK_URLS } from "../../fixtures/sink-urls.ts";

const FIELD = "spec.serving.payloadLogging";

/** parseModelDeployment of the base with spec.serving.payloadLogging set to `value`. */
function parseWith(value: unknown) {
  return parseModelDeployment(mutate(VALID_BASE, { [FIELD]: value }));
}

/** The issues of an invalid payloadLogging, as "path: message" lines; fails when it parses. */
function issuesOf(value: unknown): string[] {
  const result = parseWith(value);
  assert.ok(!result.ok, `accepted ${JSON.stringify(value)}`);
  return result.error.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe("spec.serving.payloadLogging", () => {
  it("keeps a full spec as written", () => {
    const spec = { url: "https://events.example.com/ingest", sampleRate: 0.25, batchSize: 500, flushInterval: "250ms" };
    const result = parseWith(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.deepEqual(result.value.spec.serving?.payloadLogging, spec);
  });

  it("defaults sampleRate to 1 and leaves batchSize and flushInterval absent", () => {
    const result = parseWith({ url: "http://sink.ml.svc/" });
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.deepEqual(result.value.spec.serving?.payloadLogging, { url: "http://sink.ml.svc/", sampleRate: 1 });
  });

  for (const { url, rejectedBy } of SINK_URLS) {
    it(`${rejectedBy === undefined ? "accepts" : "rejects"} the sink URL ${JSON.stringify(url)}`, () => {
      const result = parseWith({ url });
      if (rejectedBy === undefined) {
        assert.ok(result.ok, result.ok ? "" : result.error.message);
        return;
      }
      assert.ok(!result.ok, "accepted");
      // One message per mistake, at the field.
      assert.equal(result.error.issues.length, 1, result.error.message);
      assert.equal(result.error.issues[0]?.path, `${FIELD}.url`);
      assert.ok(result.error.issues[0]?.message.includes(rejectedBy), result.error.message);
    });
  }

  it("says what to write instead of inline credentials", () => {
    const [issue = ""] = issuesOf({ url: "https://writer:s3cret@events.example.com/ingest" });
    assert.match(issue, /^spec\.serving\.payloadLogging\.url: must not contain credentials/);
    assert.match(issue, /write the sink's address alone, such as http:\/\/broker-ingress/);
    assert.match(issue, /NetworkPolicy, service-mesh mTLS/);
  });

  it("bounds sampleRate to (0, 1], naming the field", () => {
    for (const sampleRate of [0, -0.5, 1.0001, 2]) {
      const issues = issuesOf({ url: "http://sink.ml.svc/", sampleRate });
      assert.deepEqual(issues.map((i) => i.split(":")[0]), [`${FIELD}.sampleRate`], `sampleRate ${sampleRate}`);
    }
    for (const sampleRate of [1e-6, 0.5, 1]) assert.ok(parseWith({ url: "http://sink.ml.svc/", sampleRate }).ok, `sampleRate ${sampleRate}`);
  });

  it("bounds batchSize to whole numbers from 1 to 1000, naming the field", () => {
    for (const batchSize of [0, 1001, 2.5, -1]) {
      const issues = issuesOf({ url: "http://sink.ml.svc/", batchSize });
      assert.deepEqual(issues.map((i) => i.split(":")[0]), [`${FIELD}.batchSize`], `batchSize ${batchSize}`);
    }
    for (const batchSize of [1, 1000]) assert.ok(parseWith({ url: "http://sink.ml.svc/", batchSize }).ok, `batchSize ${batchSize}`);
  });

  it("bounds flushInterval to durations from 10ms to 60s, naming the field", () => {
    for (const flushInterval of ["9ms", "0s", "60.001s", "1m1s", "2m", "soon", "10"]) {
      const issues = issuesOf({ url: "http://sink.ml.svc/", flushInterval });
      assert.deepEqual(issues.map((i) => i.split(":")[0]), [`${FIELD}.flushInterval`], `flushInterval ${flushInterval}`);
    }
    assert.match(issuesOf({ url: "http://sink.ml.svc/", flushInterval: "2m" }).join(), /between 10ms and 60s/);
    for (const flushInterval of ["10ms", "1s", "60s", "1m"]) {
      assert.ok(parseWith({ url: "http://sink.ml.svc/", flushInterval }).ok, `flushInterval ${flushInterval}`);
    }
  });

  it("rejects unknown fields and a missing url", () => {
    assert.deepEqual(issuesOf({ url: "http://sink.ml.svc/", headers: { authorization: "x" } }), [`${FIELD}.headers: unknown field`]);
    assert.deepEqual(issuesOf({ sampleRate: 0.5 }).map((i) => i.split(":")[0]), [`${FIELD}.url`]);
  });

  it("puts the same URL patterns into the CRD's CEL rules and states the default", () => {
    const serving = buildModelDeploymentCRD().spec.versions[0]?.schema.openAPIV3Schema.properties?.spec?.properties?.serving;
    const node = serving?.properties?.payloadLogging;
    assert.deepEqual(node?.required, ["url"]);
    assert.equal(node?.properties?.sampleRate?.default, 1);
    assert.equal(node?.properties?.url?.maxLength, 2048);
    const rules = node?.properties?.url?.["x-kubernetes-validations"] ?? [];
    assert.equal(rules.length, 3);
    assert.ok(rules[2]?.rule.includes(celString(SINK_URL_PATTERN)), rules[2]?.rule);
    assert.deepEqual(node?.properties?.flushInterval?.["x-kubernetes-validations"]?.map((r) => r.message), [
      "must be a duration between 10ms and 60s",
    ]);
  });
});
