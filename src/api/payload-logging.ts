// spec.serving.payloadLogging: request and response bodies, sent by the MDO agent as CloudEvents to
// an HTTP sink so they can feed retraining.
import { z } from "zod";
import { duration } from "./duration.ts";
import { celString, withRules } from "./rules.ts";

// Patterns kept as strings (RegExp.source would escape every "/"), read alike by RE2 (CEL) and
// JavaScript. Every URL they accept is one the agent's config accepts (URL.canParse): IPv4 octets
// and ports are bounded, the last DNS label starts with a letter (WHATWG parses a numeric one as
// IPv4) and punycode labels (xn--, decoded and checked by the URL parser) are refused.
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const LABEL = "[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?";
const LAST_LABEL = "[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?";
const PORT = "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})";
const HOST = `(${OCTET}([.]${OCTET}){3}|(${LABEL}[.])*${LAST_LABEL}[.]?)`;
const HTTP_PATTERN = "^https?://";
const USERINFO_PATTERN = "^[A-Za-z][-+.A-Za-z0-9]*://[^/?#]*@";
const PUNYCODE_PATTERN = "^https?://([^/?#]*[.])?[xX][nN]--";
/** http(s)://<host>[:<port>][/<path>][?<query>], printable ASCII without spaces. */
export const SINK_URL_PATTERN = `^https?://${HOST}(:${PORT})?([/?][!-~]*)?$`;

const HTTP = new RegExp(HTTP_PATTERN);
const USERINFO = new RegExp(USERINFO_PATTERN);
const PUNYCODE = new RegExp(PUNYCODE_PATTERN);
const SINK_URL = new RegExp(SINK_URL_PATTERN);

const SinkUrl = withRules(
  z
    .string()
    .max(2048)
    .describe(
      "Address of a CloudEvents HTTP sink (a Knative broker's ingress, a Kafka HTTP bridge, any " +
        "endpoint that accepts application/cloudevents-batch+json): http:// or https://, at most " +
        "2048 characters, without credentials. The agent POSTs batches of " +
        "dev.mdo.agent.prediction.v1 events to it.",
    ),
  [
    {
      cel: `self.matches(${celString(HTTP_PATTERN)})`,
      holds: (self) => HTTP.test(self),
      message: "must start with http:// or https://: the agent sends CloudEvents over HTTP",
    },
    {
      cel: `!self.matches(${celString(USERINFO_PATTERN)})`,
      holds: (self) => !USERINFO.test(self),
      message:
        "must not contain credentials (user:password@ before the host): the URL is stored and shown " +
        "in plain text and the agent sends no credentials; write the sink's address alone, such as " +
        "http://broker-ingress.knative-eventing.svc.cluster.local/ml/default, and let the sink " +
        "admit the model's pods by network (a NetworkPolicy, service-mesh mTLS)",
      reason: "FieldValueForbidden",
    },
    {
      // Reported only when the two rules above hold, so each mistake gets one message.
      cel:
        `!self.matches(${celString(HTTP_PATTERN)}) || self.matches(${celString(USERINFO_PATTERN)}) || ` +
        `(self.matches(${celString(SINK_URL_PATTERN)}) && !self.matches(${celString(PUNYCODE_PATTERN)}))`,
      holds: (self) => !HTTP.test(self) || USERINFO.test(self) || (SINK_URL.test(self) && !PUNYCODE.test(self)),
      message:
        "must have the form http(s)://<host>[:<port>][/<path>][?<query>], where <host> is a DNS " +
        "name (no xn-- labels) or an IPv4 address, <port> is 1 to 65535, and there are no spaces or " +
        "non-ASCII characters",
    },
  ],
);

export const PayloadLoggingSpec = z
  .strictObject({
    url: SinkUrl,
    sampleRate: z
      .number()
      .gt(0)
      .max(1)
      .default(1)
      .describe(
        "Fraction of requests whose bodies are sent, above 0 and at most 1 (0.1 = one in ten, " +
          "chosen at random per request); default 1, every request.",
      ),
    batchSize: z
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe("Most events per POST, 1 to 1000. When absent, 100."),
    flushInterval: duration(
      "Longest time a partial batch waits before it is sent, 10ms to 60s. When absent, 1s.",
      { min: "10ms", max: "60s" },
    ).optional(),
  })
  .describe(
    "Payload logging: for each sampled request the agent sends one CloudEvent holding the " +
      "request and response bodies (the first 64KiB of each; never headers) to url, in batches, " +
      "off the request path; when the sink is slow or down the records are dropped (the agent " +
      "logs a warning) and serving goes on. Bodies may hold personal data: log only what you may " +
      "keep. It is part of the agent's configuration, so setting or changing it starts a new " +
      "rollout. spec.networkPolicy limits only traffic into the pods; an egress policy of your " +
      "own must let them reach the sink. When absent, nothing is logged.",
  );
export type PayloadLoggingSpec = z.output<typeof PayloadLoggingSpec>;
