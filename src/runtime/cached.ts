// A value fetched at most once per period, shared by concurrent callers.

/**
 * Wraps `load` so its result is reused for `ttlMs` after it resolved; calls made while a load
 * runs share it. A failed load is not cached: the next call tries again (and sees the error).
 */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let value: { at: number; result: T } | undefined;
  let pending: Promise<T> | undefined;
  return () => {
    if (value !== undefined && now() - value.at < ttlMs) return Promise.resolve(value.result);
    pending ??= load().then(
      (result) => {
        value = { at: now(), result };
        pending = undefined;
        return result;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
