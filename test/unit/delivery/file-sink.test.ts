import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { FileSink, type SpareBatches } from "../../../src/delivery/file-sink.ts";

const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const bytes = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251));
const signal = new AbortController().signal;

/** Writes `data` in `chunk`-byte pieces from ONE reused buffer, waiting whenever the sink asks. */
async function writeThroughReusedBuffer(sink: FileSink, data: Buffer, chunk: number): Promise<number> {
  const reused = Buffer.alloc(chunk);
  let waits = 0;
  for (let at = 0; at < data.length; at += chunk) {
    const n = data.copy(reused, 0, at, at + chunk);
    const wait = sink.write(reused.subarray(0, n));
    reused.fill(0xee); // the sink must be done with the bytes when write returns
    if (wait !== undefined) {
      waits++;
      await wait;
    }
  }
  return waits;
}

describe("FileSink", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "mdo-file-sink-"))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes and hashes every byte in order, copying them before write returns, and asks the writer to wait when its batches are in flight", async () => {
    const data = bytes(5 * 1024 * 1024 + 123, 7);
    const sink = await FileSink.open(join(dir, "f"), false, signal);
    const waits = await writeThroughReusedBuffer(sink, data, 64 * 1024 + 3);
    assert.equal(await sink.finish(), sha(data));
    assert.deepEqual(await readFile(join(dir, "f")), data);
    assert.ok(waits > 0, "5 MiB through a pool of 3 batches must make the writer wait at least once");
  });

  it("takes one write larger than all its batches, and resumes: the digest covers the bytes already on disk", async () => {
    const data = bytes(3 * 1024 * 1024, 3);
    await writeFile(join(dir, "f"), data.subarray(0, 1000));
    const sink = await FileSink.open(join(dir, "f"), true, signal);
    assert.equal(sink.offset, 1000);
    const wait = sink.write(data.subarray(1000));
    if (wait !== undefined) await wait;
    assert.equal(await sink.finish(), sha(data));
    assert.deepEqual(await readFile(join(dir, "f")), data);
  });

  it("abandon writes what was batched, so a retry resumes after it; closed files hand their batches to the next", async () => {
    const spare: SpareBatches = [];
    const first = await FileSink.open(join(dir, "f"), false, signal, spare);
    await writeThroughReusedBuffer(first, bytes(700_000, 1), 10_000);
    await first.abandon();
    assert.equal((await readFile(join(dir, "f"))).length, 700_000);
    assert.ok(spare.length > 0, "the abandoned file's batches are spare now");
    const before = spare.length;
    const second = await FileSink.open(join(dir, "g"), false, signal, spare);
    assert.equal(second.write(bytes(10, 2)), undefined, "one small write never waits");
    assert.equal(spare.length, before - 1, "the next file takes a spare batch instead of allocating one");
    await second.finish();
  });

  it("reports a failed write to the writer: /dev/full answers every write with ENOSPC", async () => {
    const sink = await FileSink.open("/dev/full", false, signal);
    await assert.rejects(writeThroughReusedBuffer(sink, bytes(4 * 1024 * 1024, 1), 64 * 1024), (e: NodeJS.ErrnoException) => e.code === "ENOSPC");
    await assert.rejects(sink.finish(), (e: NodeJS.ErrnoException) => e.code === "ENOSPC");
  });
});
