import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ManualClock } from "../../../src/runtime/clock.ts";
import { defaultRateLimiter, ExponentialBackoff, MaxOf, TokenBucket } from "../../../src/runtime/rate-limiters.ts";

test("exponential backoff doubles from 5 ms per key and counts retries", () => {
  const backoff = new ExponentialBackoff();
  assert.deepEqual([1, 2, 3, 4, 5].map(() => backoff.when("a")), [5, 10, 20, 40, 80]);
  assert.equal(backoff.retries("a"), 5);
  assert.equal(backoff.when("b"), 5, "keys back off independently");
  assert.equal(backoff.retries("never-failed"), 0);
});

test("exponential backoff caps at 1000 s, even after very many failures", () => {
  const backoff = new ExponentialBackoff();
  const delays = Array.from({ length: 2000 }, () => backoff.when("a"));
  assert.equal(delays[17], 655_360);
  assert.equal(delays[18], 1_000_000);
  assert.equal(delays.at(-1), 1_000_000);
});

test("forget resets a key's backoff to the base delay", () => {
  const backoff = new ExponentialBackoff({ baseMs: 2, maxMs: 100 });
  backoff.when("a");
  backoff.when("a");
  backoff.forget("a");
  assert.equal(backoff.retries("a"), 0);
  assert.equal(backoff.when("a"), 2);
});

test("exponential backoff rejects a base that is not positive or above the cap", () => {
  assert.throws(() => new ExponentialBackoff({ baseMs: 0 }), RangeError);
  assert.throws(() => new ExponentialBackoff({ baseMs: 10, maxMs: 5 }), RangeError);
});

test("token bucket lets a burst through, then spaces calls by 1/qps", () => {
  const bucket = new TokenBucket(new ManualClock(), { qps: 10, burst: 3 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((i) => bucket.when(`k${i}`)), [0, 0, 0, 100, 200, 300]);
});

test("token bucket refills at qps up to the burst", () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket(clock, { qps: 10, burst: 2 });
  bucket.when("a");
  bucket.when("a");
  assert.equal(bucket.when("a"), 100);
  clock.advance(100);
  assert.equal(bucket.when("a"), 100, "the token that refilled was already reserved");
  clock.advance(10_000);
  assert.deepEqual([bucket.when("a"), bucket.when("a"), bucket.when("a")], [0, 0, 100]);
});

test("the default bucket allows 100 retries at once, then 10 per second", () => {
  const bucket = new TokenBucket(new ManualClock());
  const delays = Array.from({ length: 120 }, (_, i) => bucket.when(`k${i}`));
  assert.ok(delays.slice(0, 100).every((d) => d === 0));
  assert.deepEqual(delays.slice(100, 103), [100, 200, 300]);
  assert.equal(delays[119], 2000);
});

test("MaxOf waits the longest delay and records the failure in every limiter", () => {
  const clock = new ManualClock();
  const backoff = new ExponentialBackoff();
  const bucket = new TokenBucket(clock, { qps: 1, burst: 1 });
  const limiter = new MaxOf(backoff, bucket);
  assert.equal(limiter.when("a"), 5);
  assert.equal(limiter.when("b"), 1000, "the bucket is empty");
  assert.equal(limiter.retries("a"), 1);
  limiter.forget("a");
  assert.equal(backoff.retries("a"), 0);
  assert.throws(() => new MaxOf(), RangeError);
});

test("the default rate limiter combines per-key backoff with the overall bucket", () => {
  const limiter = defaultRateLimiter(new ManualClock());
  assert.deepEqual([limiter.when("a"), limiter.when("a"), limiter.when("a")], [5, 10, 20]);
  for (let i = 0; i < 97; i++) limiter.when(`other${i}`);
  assert.equal(limiter.when("fresh"), 100, "101st failure in the same instant waits for the bucket");
});

test("token bucket treats a clock that steps back as no time passing", () => {
  let now = 1_000_000;
  const clock = { now: () => now, setTimeout: () => () => {}, sleep: () => Promise.resolve() };
  const bucket = new TokenBucket(clock, { qps: 10, burst: 1 });
  assert.equal(bucket.when("a"), 0);
  now -= 3_600_000;
  assert.equal(bucket.when("a"), 100, "not an hour's worth of negative tokens");
});
