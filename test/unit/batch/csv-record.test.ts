import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CsvSyntaxError, parseCsvRecord, recordComplete } from "../../../src/batch/csv-record.ts";

describe("parseCsvRecord", () => {
  it("splits plain cells, keeping empty ones", () => {
    assert.deepEqual(parseCsvRecord("5.1,3.5,1.4,0.2"), ["5.1", "3.5", "1.4", "0.2"]);
    assert.deepEqual(parseCsvRecord("a,,b,"), ["a", "", "b", ""]);
    assert.deepEqual(parseCsvRecord(""), [""]);
  });
  it("unquotes quoted cells with doubled quotes, commas and newlines inside", () => {
    assert.deepEqual(parseCsvRecord('"x,1","say ""hi""",2'), ["x,1", 'say "hi"', "2"]);
    assert.deepEqual(parseCsvRecord('"a\nb",3'), ["a\nb", "3"]);
    assert.deepEqual(parseCsvRecord('"a" ,4'), ["a", "4"]);
  });
  it("rejects an unterminated quote and text after a closing quote", () => {
    assert.throws(() => parseCsvRecord('"abc,1'), CsvSyntaxError);
    assert.throws(() => parseCsvRecord('"abc"x,1'), CsvSyntaxError);
  });
});

describe("recordComplete", () => {
  it("is false while a quoted field is open", () => {
    assert.equal(recordComplete("1,2,3"), true);
    assert.equal(recordComplete('"a\nb'), false);
    assert.equal(recordComplete('"a\nb",2'), true);
    assert.equal(recordComplete('"say ""hi""",1'), true);
  });
});
