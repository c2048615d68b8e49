// Filling the runtime catalog's {{placeholders}} in commands, args, env and paths.
import { BuildError } from "./errors.ts";

/** Values of the placeholders; an absent one (grpcPort of a runtime without gRPC) is an error if used. */
export interface PlaceholderValues {
  readonly modelDir: string;
  readonly modelName: string;
  readonly port: string;
  readonly grpcPort?: string | undefined;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]*)\s*\}\}/g;

/**
 * `text` with every {{name}} replaced. Throws BuildError (InvalidRuntime) for an unknown
 * placeholder or one without a value; `runtime` and `where` name the offending catalog field.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues, runtime: string, where: string): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name as keyof PlaceholderValues] : undefined;
    if (value === undefined) {
      throw new BuildError(
        "InvalidRuntime",
        `Runtime ${runtime} uses {{${name}}} in ${where}, which has no value here; ` +
          "use {{modelDir}}, {{modelName}}, {{port}} or (with grpcPort set) {{grpcPort}} in the runtime catalog entry",
      );
    }
    return value;
  });
}
