import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { after, before, describe, it } from "node:test";
import { serveStatic, STATIC_DIR } from "../../../src/dashboard/static-files.ts";

/** What serveStatic answered: the parts of a ServerResponse it uses. */
class Recorder {
  code = 0;
  headers: OutgoingHttpHeaders = {};
  body = "";
  writeHead(code: number, headers: OutgoingHttpHeaders): this {
    this.code = code;
    this.headers = headers;
    return this;
  }
  end(body?: string | Buffer): this {
    this.body = body === undefined ? "" : body.toString();
    return this;
  }
}

async function get(path: string, dir: string): Promise<Recorder> {
  const res = new Recorder();
  await serveStatic(path, res as unknown as ServerResponse, dir);
  return res;
}

describe("serveStatic", () => {
  // root/static is served; root/secret.html, root/static-evil/x.html and root/secret.js lie outside it.
  let root = "";
  let dir = "";
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "mdo-static-"));
    dir = join(root, "static") + sep;
    await mkdir(join(dir, "sub"), { recursive: true });
    await mkdir(join(root, "static-evil"));
    await writeFile(join(dir, "index.html"), "<p>index</p>");
    await writeFile(join(dir, "app.js"), "export {};");
    await writeFile(join(dir, "style.css"), "p{}");
    await writeFile(join(dir, "sub", "icon.svg"), "<svg/>");
    await writeFile(join(dir, "data.json"), "{}");
    await writeFile(join(root, "secret.html"), "SECRET");
    await writeFile(join(root, "secret.js"), "SECRET");
    await writeFile(join(root, "static-evil", "x.html"), "SECRET");
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("answers / with index.html and each file with its type", async () => {
    const index = await get("/", dir);
    assert.deepEqual([index.code, index.headers["Content-Type"], index.body], [200, "text/html; charset=utf-8", "<p>index</p>"]);
    assert.equal(index.headers["X-Content-Type-Options"], "nosniff");
    for (const [path, type] of [["/app.js", "text/javascript; charset=utf-8"], ["/style.css", "text/css; charset=utf-8"], ["/sub/icon.svg", "image/svg+xml"]]) {
      const res = await get(path!, dir);
      assert.deepEqual([res.code, res.headers["Content-Type"]], [200, type], path);
    }
  });

  it("answers 404 for a missing file and for a type it does not serve", async () => {
    assert.equal((await get("/missing.js", dir)).code, 404);
    assert.equal((await get("/data.json", dir)).code, 404);
    assert.equal((await get("/sub", dir)).code, 404);
  });

  it("answers 404 for a malformed %-escape instead of failing", async () => {
    for (const path of ["/%", "/%E0%A4%A.js", "/app%zz.js"]) assert.equal((await get(path, dir)).code, 404, path);
  });

  it("never answers with a file outside its directory", async () => {
    const escapes = [
      "/../secret.html", "/../../secret.html", "/sub/../../secret.js", "../secret.html", "..%2fsecret.html",
      "/%2e%2e/secret.html", "/%2E%2E%2Fsecret.html", "/sub/%2e%2e/%2e%2e/secret.js", "/%252e%252e/secret.html",
      "/../static-evil/x.html", "/%2e%2e/static-evil/x.html", `/${root}/secret.html`, `//${join(root, "secret.html")}`,
      "/..\\secret.html", "/%5c..%5csecret.html", "/%00/../secret.html",
    ];
    for (const path of escapes) {
      const res = await get(path, dir);
      assert.equal(res.code, 404, path);
      assert.notEqual(res.body, "SECRET", path);
    }
  });

  it("resolves dot segments that stay inside the directory", async () => {
    const res = await get("/sub/../app.js", dir);
    assert.deepEqual([res.code, res.body], [200, "export {};"]);
    assert.equal((await get("/%2e%2e/app.js", dir)).body, "export {};", "a leading .. is clamped at the root, as in a URL");
  });

  it("serves the dashboard's own page by default", async () => {
    const res = await get("/", STATIC_DIR);
    assert.equal(res.code, 200);
    assert.match(res.body, /<html/i);
  });
});
