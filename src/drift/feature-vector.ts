// What the agent hands the drift monitor for one row of a request.

/**
 * One feature's value in a request row. Numeric features take numbers (±Infinity fall into the
 * outer bins); categorical features take strings (numbers are converted with `String`, which
 * allocates, so extractors pass strings). `undefined`, NaN and values of the wrong type count as
 * missing.
 */
export type FeatureValue = number | string | undefined;

/**
 * One request row, position j holding the value of the baseline's `features[j]` (the order of
 * the profile, not the feature's `index`). Shorter vectors leave the remaining features missing.
 */
export type FeatureVector = ArrayLike<FeatureValue>;
