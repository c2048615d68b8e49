// What the docs tests read: README.md, docs/*.md and examples/, split into fenced blocks, and the
// ModelDeployment / BatchPrediction manifests those blocks and files hold. Shared by the unit tests
// here and test/integration/docs (the same manifests, sent to the real API server).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAll } from "js-yaml";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** README.md and every docs/*.md (not the ADRs: they record decisions as they were taken). */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

export interface Block {
  /** "README.md:12": the file and the line of the opening fence. */
  where: string;
  lang: string;
  body: string;
}

/** The fenced code blocks of a markdown file (``` fences at the start of a line). */
export function blocks(file: string, text = readFileSync(join(ROOT, file), "utf8")): Block[] {
  const found: Block[] = [];
  const fence = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    found.push({ where: `${file}:${text.slice(0, m.index).split("\n").length}`, lang: m[1] ?? "", body: m[2] ?? "" });
  }
  return found;
}

/** A markdown file with its fenced blocks blanked out: the prose, where links and backticked paths live. */
export function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, " "));
}

export interface Manifest {
  where: string;
  kind: "ModelDeployment" | "BatchPrediction";
  /** As written, or for a `spec:` fragment, wrapped into a whole object (see specFragment). */
  object: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const KINDS = new Set(["ModelDeployment", "BatchPrediction"]);

/** The model a `spec:` fragment gets when it names none: the fragment shows something else. */
const FRAGMENT_MODEL = { uri: "s3://models/docs/v1", format: "sklearn" };

/**
 * A block whose only top-level key is `spec` documents part of a ModelDeployment's spec: it is
 * wrapped into a whole ModelDeployment (with a model when it names none) so it is checked as one.
 */
function specFragment(doc: Record<string, unknown>, index: number): Record<string, unknown> | undefined {
  const keys = Object.keys(doc);
  if (keys.length !== 1 || keys[0] !== "spec" || !isRecord(doc.spec)) return undefined;
  const spec = doc.spec;
  return {
    apiVersion: "mdo.dev/v1alpha1",
    kind: "ModelDeployment",
    metadata: { name: `docs-fragment-${index}` },
    spec: { ...spec, model: isRecord(spec.model) ? spec.model : FRAGMENT_MODEL },
  };
}

/** ModelDeployments and BatchPredictions written in README.md's and docs/*.md's YAML blocks. */
export function docManifests(): Manifest[] {
  const found: Manifest[] = [];
  for (const file of docFiles()) {
    for (const block of blocks(file)) {
      if (block.lang !== "yaml" && block.lang !== "yml") continue;
      const docs = loadAll(block.body);
      docs.forEach((doc, i) => {
        if (!isRecord(doc)) return;
        const where = docs.length === 1 ? block.where : `${block.where} (document ${i + 1})`;
        if (typeof doc.kind === "string" && KINDS.has(doc.kind)) {
          found.push({ where, kind: doc.kind as Manifest["kind"], object: doc });
          return;
        }
        const wrapped = specFragment(doc, found.length);
        if (wrapped !== undefined) found.push({ where: `${where} (spec fragment)`, kind: "ModelDeployment", object: wrapped });
      });
    }
  }
  return found;
}

/** Every YAML file under examples/ (recursively), one manifest per document of a known kind. */
export function exampleManifests(dir = join(ROOT, "examples")): Manifest[] {
  const found: Manifest[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...exampleManifests(path));
      continue;
    }
    if (!/\.ya?ml$/.test(entry.name)) continue;
    const docs = loadAll(readFileSync(path, "utf8"));
    docs.forEach((doc, i) => {
      if (isRecord(doc) && typeof doc.kind === "string" && KINDS.has(doc.kind)) {
        found.push({ where: `${relative(ROOT, path)}${docs.length === 1 ? "" : ` (document ${i + 1})`}`, kind: doc.kind as Manifest["kind"], object: doc });
      }
    });
  }
  return found;
}
