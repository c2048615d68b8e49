// The runtime catalog: lookup by name or by model format, with operator overrides.
import { z } from "zod";
import type { ModelFormat } from "../api/model.ts";
import type { Protocol } from "../api/spec.ts";
import { BUILTIN_RUNTIMES } from "./builtin.ts";
import { ServingRuntime } from "./runtime.ts";

/** Why a ModelDeployment cannot be served by any catalog entry; `reason` is a condition reason. */
export class RuntimeResolutionError extends Error {
  override readonly name = "RuntimeResolutionError";
  readonly reason: "UnknownRuntime" | "UnsupportedFormat" | "UnsupportedProtocol";

  constructor(reason: RuntimeResolutionError["reason"], message: string) {
    super(message);
    this.reason = reason;
  }
}

export class CatalogConfigError extends Error {
  override readonly name = "CatalogConfigError";
}

/**
 * Overrides are only checked for a name here: a partial schema would fill in defaults for the
 * fields an override leaves out and so reset them. The merged entry is validated in full.
 */
const Overrides = z.array(z.looseObject({ name: ServingRuntime.shape.name }));

/**
 * An immutable set of serving runtimes. `resolve` never falls back silently: an unknown name,
 * a format the named runtime cannot serve, or a protocol it does not speak is an error that
 * names what to change.
 */
export class RuntimeCatalog {
  private readonly byName: ReadonlyMap<string, ServingRuntime>;

  private constructor(runtimes: ServingRuntime[]) {
    this.byName = new Map(runtimes.map((r) => [r.name, r]));
  }

  static builtin(): RuntimeCatalog {
    return new RuntimeCatalog(BUILTIN_RUNTIMES.map((r) => ServingRuntime.parse(r)));
  }

  /**
   * The built-in catalog with entries replaced field by field (same name) or added (new name).
   * `overrides` is operator configuration (parsed JSON/YAML); invalid input throws CatalogConfigError.
   */
  static withOverrides(overrides: unknown): RuntimeCatalog {
    const parsed = Overrides.safeParse(overrides);
    if (!parsed.success) {
      throw new CatalogConfigError(`Invalid runtime catalog override: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
    }
    const merged = new Map(BUILTIN_RUNTIMES.map((r) => [r.name, r]));
    for (const override of parsed.data) {
      const base = merged.get(override.name) ?? {};
      merged.set(override.name, { ...base, ...override } as (typeof BUILTIN_RUNTIMES)[number]);
    }
    const runtimes: ServingRuntime[] = [];
    for (const entry of merged.values()) {
      const result = ServingRuntime.safeParse(entry);
      if (!result.success) {
        throw new CatalogConfigError(`Runtime ${entry.name}: ${z.prettifyError(result.error)}`, { cause: result.error });
      }
      runtimes.push(result.data);
    }
    return new RuntimeCatalog(runtimes);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  get(name: string): ServingRuntime | undefined {
    return this.byName.get(name);
  }

  resolve(format: ModelFormat, protocol: Protocol, runtimeName?: string): ServingRuntime {
    const runtime = runtimeName === undefined ? this.defaultFor(format) : this.byName.get(runtimeName);
    if (runtime === undefined) {
      throw runtimeName === undefined
        ? new RuntimeResolutionError("UnsupportedFormat", `No runtime in the catalog serves format ${format}; set spec.model.runtime to one of: ${this.names().join(", ")}`)
        : new RuntimeResolutionError("UnknownRuntime", `Runtime ${runtimeName} is not in the catalog; use one of: ${this.names().join(", ")}`);
    }
    if (!runtime.formats.includes(format)) {
      throw new RuntimeResolutionError("UnsupportedFormat", `Runtime ${runtime.name} does not serve format ${format}; it serves ${runtime.formats.join(", ")}`);
    }
    if (!runtime.protocols.includes(protocol)) {
      throw new RuntimeResolutionError("UnsupportedProtocol", `Runtime ${runtime.name} does not speak protocol ${protocol}; it speaks ${runtime.protocols.join(", ")}`);
    }
    return runtime;
  }

  private defaultFor(format: ModelFormat): ServingRuntime | undefined {
    for (const runtime of this.byName.values()) {
      if (runtime.defaultFor.includes(format)) return runtime;
    }
    return undefined;
  }
}
