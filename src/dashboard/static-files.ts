// The page's files, served from src/dashboard/static/ as they are: no build step.
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const STATIC_DIR = fileURLToPath(new URL("./static/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Answers GET `path` with the file under `dir` (index.html for "/"); 404 for anything else, never a file outside `dir`. */
export async function serveStatic(path: string, res: ServerResponse, dir = STATIC_DIR): Promise<void> {
  const decoded = decodedPath(path === "/" ? "/index.html" : path);
  const relative = normalize(decoded ?? "").replace(/^([/\\])+/, "");
  const type = TYPES[extname(relative)];
  const file = join(dir, relative);
  if (decoded === undefined || type === undefined || relative.startsWith("..") || !file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" }).end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
  }
}

/** A request path with its %-escapes decoded; undefined when they are malformed (then: not found). */
export function decodedPath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }
}
