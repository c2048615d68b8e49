// (f) Request bodies reach the backend intact, direct or held; a held body over maxBodyBytes is 413.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { COLD_START_HEADER } from "../../../src/activator/activator.ts";
import { ID_HEADER, IRIS, outcomes, send, sha256, startActivator, startBackend, until, type RunningActivator, type StandIn } from "./harness.ts";

const MIB = randomBytes(1024 * 1024);
const LIMIT = 2 * 1024 * 1024;

describe("activator request bodies", () => {
  let backend: StandIn;
  let front: RunningActivator;

  before(async () => {
    backend = await startBackend();
    front = await startActivator({ maxBodyBytes: LIMIT });
  });
  after(async () => {
    await front.close();
    await backend.close();
  });

  it("buffers held bodies, sized or chunked, and forwards them intact", async () => {
    const sized = send(front.url, { body: MIB, headers: { [ID_HEADER]: "sized" } });
    const chunked = send(front.url, { body: MIB, chunked: true, headers: { [ID_HEADER]: "chunked" } });
    const small = send(front.url, { body: Buffer.from('{"inputs":[]}'), headers: { [ID_HEADER]: "small", "content-type": "application/json" } });
    await until(() => front.activator.held(IRIS) === 3, "3 requests are held");
    front.directory.set(IRIS, [backend.url]);
    for (const answer of await Promise.all([sized, chunked, small])) {
      assert.equal(answer.status, 200);
      assert.ok(answer.headers[COLD_START_HEADER] !== undefined);
    }
    for (const id of ["sized", "chunked"]) {
      assert.equal(backend.seen.get(id)?.[0]?.bytes, MIB.length, id);
      assert.equal(backend.seen.get(id)?.[0]?.sha256, sha256(MIB), id);
    }
    assert.equal(backend.seen.get("small")?.[0]?.sha256, sha256(Buffer.from('{"inputs":[]}')));
    assert.equal(backend.seen.get("small")?.[0]?.headers["content-type"], "application/json");
  });

  it("streams bodies of direct requests intact", async () => {
    const answer = await send(front.url, { body: MIB, chunked: true, headers: { [ID_HEADER]: "direct" } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers[COLD_START_HEADER], undefined);
    assert.equal(backend.seen.get("direct")?.[0]?.sha256, sha256(MIB));
  });

  it("answers 413 for a held body over maxBodyBytes, declared or not, and forwards nothing", async () => {
    const big = Buffer.alloc(LIMIT + 1, 1);
    const over = { host: "over.ml" };
    const declared = await send(front.url, { ...over, body: big, headers: { [ID_HEADER]: "declared" } });
    assert.equal(declared.status, 413);
    const chunked = await send(front.url, { ...over, body: big, chunked: true, headers: { [ID_HEADER]: "undeclared" } });
    assert.equal(chunked.status, 413);
    assert.ok(chunked.headers[COLD_START_HEADER] !== undefined, "it was held while its body arrived");
    assert.equal(front.activator.held({ namespace: "ml", name: "over" }), 0);
    front.directory.set({ namespace: "ml", name: "over" }, [backend.url]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(backend.seen.has("declared") || backend.seen.has("undeclared"), false);
    assert.equal(await outcomes(front.registry, "rejected_too_large"), 2);
  });
});
