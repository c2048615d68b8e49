import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, it } from "node:test";
import { BatchInputError } from "../../../src/batch/errors.ts";
import { inputTexts, selectObjects, type InputAccess, type InputObject } from "../../../src/batch/input-source.ts";
import { NO_CREDENTIALS } from "../../../src/delivery/credentials.ts";
import { DeliveryError, DeliveryFailureReasons } from "../../../src/delivery/errors.ts";

const named = (...names: string[]): { name: string }[] => names.map((name) => ({ name }));
const names = (selected: { objects: { name: string }[] }): string[] => selected.objects.map((o) => o.name);

describe("selectObjects", () => {
  it("keeps the format's extensions, in bytewise key order", () => {
    const listing = named("b/2.jsonl", "a.ndjson", "b/10.jsonl", "README.md", "c.csv", "B.jsonl", "é.jsonl", "z.JSONL", "_SUCCESS");
    assert.deepEqual(names(selectObjects(listing, "jsonl", "s3://in/")), ["B.jsonl", "a.ndjson", "b/10.jsonl", "b/2.jsonl", "z.JSONL", "é.jsonl"]);
    assert.deepEqual(names(selectObjects(listing, "csv", "s3://in/")), ["c.csv"]);
  });
  it("takes the format from the objects' extensions when they agree", () => {
    const selected = selectObjects(named("p-1.csv", "p-0.csv", "_SUCCESS"), undefined, "s3://in/");
    assert.equal(selected.format, "csv");
    assert.deepEqual(names(selected), ["p-0.csv", "p-1.csv"]);
  });
  it("fails on mixed formats without --format, and on no matching object", () => {
    assert.throws(() => selectObjects(named("a.csv", "b.jsonl"), undefined, "s3://in/"), /both CSV and JSON Lines objects; pass --format/);
    assert.throws(() => selectObjects(named("a.txt"), undefined, "s3://in/"), (e: unknown) => e instanceof BatchInputError && /s3:\/\/in\/ holds no \.jsonl, \.ndjson or \.csv object/.test(e.message));
    assert.throws(() => selectObjects(named("a.jsonl"), "csv", "s3://in/"), /holds no \.csv object/);
  });
});

describe("inputTexts", () => {
  const access: InputAccess = { credentials: NO_CREDENTIALS, env: {}, retry: { tries: 3, baseDelayMs: 1 }, sleep: async () => {} };
  const content = "0123456789".repeat(100);

  /** An object whose first `breaks` reads stop after `after` bytes with a retryable store error. */
  function flaky(breaks: number, after: number, size = content.length, retryable = true): { object: InputObject; offsets: number[] } {
    const offsets: number[] = [];
    let left = breaks;
    const object: InputObject = {
      name: "s3://in/x.jsonl", size,
      open: (_signal, offset) => {
        offsets.push(offset);
        const rest = Buffer.from(content.slice(offset));
        if (left-- <= 0) return Promise.resolve(Readable.from([rest.subarray(0, 300), rest.subarray(300)]));
        return Promise.resolve(Readable.from((async function* () {
          yield rest.subarray(0, after);
          await new Promise(setImmediate);
          throw new DeliveryError(DeliveryFailureReasons.Unreachable, "the store sent nothing for 60 s", { retryable });
        })()));
      },
    };
    return { object, offsets };
  }

  const readAll = async (object: InputObject): Promise<string> => {
    let all = "";
    for (const t of inputTexts({ format: "jsonl", objects: [object] }, access, new AbortController().signal)) all += await text(t.bytes);
    return all;
  };

  it("resumes a read that broke off at the byte where it stopped", async () => {
    const { object, offsets } = flaky(2, 150);
    assert.equal(await readAll(object), content);
    assert.deepEqual(offsets, [0, 150, 300]);
  });
  it("gives up after as many failures in a row as the retry policy allows, and on a failure that is not transient", async () => {
    await assert.rejects(readAll(flaky(3, 0).object), (e: unknown) => e instanceof BatchInputError && /Reading s3:\/\/in\/x\.jsonl failed at byte 0: the store sent nothing/.test(e.message));
    await assert.rejects(readAll(flaky(1, 10, content.length, false).object), /failed at byte 10/);
  });
  it("fails when an object ends short of its listed size", async () => {
    await assert.rejects(readAll(flaky(0, 0, content.length + 5).object), /ended after 1000 of its 1005 bytes/);
  });
});
