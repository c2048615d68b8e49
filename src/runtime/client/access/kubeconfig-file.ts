// Kubeconfig files read and merged as kubectl does (the first file to define a name wins, the
// first current-context wins), then narrowed to the current context's cluster and user.
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { load as loadYaml, YAMLException } from "js-yaml";
import { ClusterAccessError } from "./types.ts";

type Fields = Record<string, unknown>;
type Section = "clusters" | "users" | "contexts";
const BODY: Record<Section, string> = { clusters: "cluster", users: "user", contexts: "context" };

/** Fields holding a path, resolved against the directory of the file that holds them. */
const PATH_FIELDS: Record<Section, readonly string[]> = {
  clusters: ["certificate-authority"],
  users: ["client-certificate", "client-key", "tokenFile", "token-file"],
  contexts: [],
};

/** One named entry (a cluster, a user, a context) and the file it came from. */
export interface Entry {
  name: string;
  fields: Fields;
  file: string;
}

/** The current context of merged kubeconfig files. */
export interface KubeconfigSelection {
  files: readonly string[];
  context: Entry;
  cluster: Entry;
  /** Undefined when the context names no user (anonymous requests). */
  user: Entry | undefined;
  /** The merged document with absolute paths: what @kubernetes/client-node loads when it must. */
  merged: Record<string, unknown>;
}

/** Reads `files` (in order; at least one) and selects the current context. Throws ClusterAccessError. */
export async function readKubeconfig(files: readonly string[]): Promise<KubeconfigSelection> {
  const sections: Record<Section, Map<string, Entry>> = { clusters: new Map(), users: new Map(), contexts: new Map() };
  let current: { name: string; file: string } | undefined;
  for (const file of files) {
    const document = await parseFile(file);
    for (const section of ["clusters", "users", "contexts"] as const) {
      for (const entry of entriesOf(document, section, file)) {
        if (!sections[section].has(entry.name)) sections[section].set(entry.name, entry);
      }
    }
    const name = document["current-context"];
    if (current === undefined && typeof name === "string" && name !== "") current = { name, file };
  }
  const where = files.join(", ");
  if (current === undefined) throw new ClusterAccessError(`No current-context is set in the kubeconfig ${where}`);
  const context = sections.contexts.get(current.name);
  if (context === undefined) throw new ClusterAccessError(`The current-context "${current.name}" of ${current.file} is not defined in the contexts of ${where}`);
  const clusterName = text(context, "cluster");
  if (clusterName === undefined) throw missing(context, "context", "cluster");
  const cluster = sections.clusters.get(clusterName);
  if (cluster === undefined) throw new ClusterAccessError(`The cluster "${clusterName}" of context "${context.name}" is not defined in the clusters of ${where}`);
  if (text(cluster, "server") === undefined) throw missing(cluster, "cluster", "server");
  const userName = text(context, "user");
  const user = userName === undefined ? undefined : sections.users.get(userName);
  if (userName !== undefined && user === undefined) throw new ClusterAccessError(`The user "${userName}" of context "${context.name}" is not defined in the users of ${where}`);
  const merged: Record<string, unknown> = { apiVersion: "v1", kind: "Config", "current-context": current.name };
  for (const section of ["clusters", "users", "contexts"] as const) {
    merged[section] = [...sections[section].values()].map((e) => ({ name: e.name, [BODY[section]]: e.fields }));
  }
  return { files, context, cluster, user, merged };
}

/**
 * A field that must be text, or undefined when absent. Numbers and booleans are written back as
 * text (YAML reads an unquoted `1234` as a number). The value never appears in the error.
 */
export function text(entry: Entry, field: string): string | undefined {
  const value = entry.fields[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ClusterAccessError(`The field ${field} of "${entry.name}" in ${entry.file} is not text`);
}

/** "The cluster "x" in FILE has no server". */
export function missing(entry: Entry, kind: string, field: string): ClusterAccessError {
  return new ClusterAccessError(`The ${kind} "${entry.name}" in ${entry.file} has no ${field}`);
}

async function parseFile(file: string): Promise<Fields> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new ClusterAccessError(`Could not read the kubeconfig ${file}`, { cause: error });
  }
  if (source.trim() === "") return {}; // an empty file is an empty configuration, as kubectl reads it
  let document: unknown;
  try {
    document = loadYaml(source);
  } catch (error) {
    // The YAML error's own message quotes the lines around the mistake, which may hold a token.
    const at = error instanceof YAMLException && error.mark !== undefined ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
    const reason = error instanceof YAMLException ? error.reason : "unreadable";
    throw new ClusterAccessError(`The kubeconfig ${file} is not valid YAML${at}`, { cause: new Error(reason) });
  }
  if (document === undefined || document === null) return {};
  if (typeof document !== "object" || Array.isArray(document)) throw new ClusterAccessError(`The kubeconfig ${file} is not a mapping`);
  return document as Fields;
}

function entriesOf(document: Fields, section: Section, file: string): Entry[] {
  const list = document[section];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ClusterAccessError(`The field ${section} of the kubeconfig ${file} is not a list`);
  return list.map((item: unknown, i) => {
    const entry = (typeof item === "object" && item !== null ? item : {}) as Fields;
    const name = entry.name;
    const body = entry[BODY[section]];
    if (typeof name !== "string" || name === "") throw new ClusterAccessError(`${section}[${i}] of the kubeconfig ${file} has no name`);
    if (body !== undefined && body !== null && (typeof body !== "object" || Array.isArray(body))) {
      throw new ClusterAccessError(`${section}[${i}].${BODY[section]} of the kubeconfig ${file} is not a mapping`);
    }
    const fields: Fields = { ...(body as Fields | null | undefined) };
    for (const field of PATH_FIELDS[section]) {
      const path = fields[field];
      if (typeof path === "string" && path !== "" && !isAbsolute(path)) fields[field] = resolve(dirname(file), path);
    }
    return { name, fields, file };
  });
}
