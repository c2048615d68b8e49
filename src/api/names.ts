// Kubernetes name formats, as string schemas with the patterns and lengths the API server uses.
import { z } from "zod";

/** RFC 1123 label: names of namespaces, runtimes and most short identifiers. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: names of Secrets, ConfigMaps, Gateways and other objects. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1035 label: names of Services, hence of a ModelDeployment (its Services carry its name). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Keys of Secret and ConfigMap data. */
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** Label values, which is what version strings become on child objects. */
export const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Label keys: an optional DNS subdomain prefix and a name. */
export const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Container image references: registry/repository[:tag][@sha256:digest], no whitespace. */
export const IMAGE_REFERENCE = /^[a-z0-9][A-Za-z0-9._/:@-]*$/;

/** A DNS-1123 label of at most 63 characters. */
export function dnsLabel(description: string) {
  return z.string().min(1).max(63).regex(DNS1123_LABEL).describe(description);
}

/** A DNS-1123 subdomain of at most 253 characters. */
export function dnsSubdomain(description: string) {
  return z.string().min(1).max(253).regex(DNS1123_SUBDOMAIN).describe(description);
}

/** A key in a Secret or ConfigMap. */
export function configKey(description: string) {
  return z.string().min(1).max(253).regex(CONFIG_KEY).describe(description);
}

/** A container image reference (registry/repository[:tag][@sha256:digest]). */
export function imageReference(description: string) {
  return z.string().min(1).max(512).regex(IMAGE_REFERENCE).describe(description);
}
