// Lint rules: typescript-eslint with type information, so promise misuse is caught.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "charts/", "crds/", "deploy/", "tools/", ".dependency-cruiser.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          // node:test runs suites and tests it registers; their returned promises need no await.
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"] },
          ],
        },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']",
          message: "Only src/cmd/ may exit the process.",
        },
      ],
    },
  },
  {
    files: ["src/cmd/**/*.ts", "scripts/**/*.ts", "test/support/**/*.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // client-node's runtime costs the operator ~55 MB of RSS and half a second of start-up
    // (ADR 0011): its types are fine, its code only behind the dynamic import in client/access/.
    files: ["src/operator/**/*.ts", "src/runtime/**/*.ts", "src/controllers/**/*.ts", "src/analysis/**/*.ts", "src/traffic/**/*.ts", "src/rollout/**/*.ts", "src/webhooks/**/*.ts", "src/api/**/*.ts", "src/catalog/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", {
        paths: [{ name: "@kubernetes/client-node", message: "Import its types only (ADR 0011).", allowTypeImports: true }],
      }],
    },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The dashboard's page: plain browser ES modules served as they are (no build, no types).
    files: ["src/dashboard/static/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "module",
      globals: Object.fromEntries(["window", "document", "location", "fetch", "EventSource", "confirm", "Node", "URL"].map((g) => [g, "readonly"])),
    },
  },
);
