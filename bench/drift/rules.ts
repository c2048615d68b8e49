// The drift rules the benchmark compares, each deciding "drift" or not for one set of pod windows.
// MDO's rule runs through its own functions (homogeneity.ts, drift-decision.ts); the anchors'
// rules through the statistics the agent computes (psi.ts, jensen-shannon.ts, kolmogorov-smirnov.ts)
// applied the way those tools apply them, per pod, an alarm when any pod's window alarms.
import type { Baseline } from "../../src/drift/baseline.ts";
import { DRIFT_DECISION_DEFAULTS, decideDrift, poolCounts, type FeatureEvidence } from "../../src/drift/drift-decision.ts";
import { baselineCounts, homogeneityTest } from "../../src/drift/homogeneity.ts";
import { jensenShannonDistance } from "../../src/drift/jensen-shannon.ts";
import { binnedKolmogorovSmirnov } from "../../src/drift/kolmogorov-smirnov.ts";
import { toProportions } from "../../src/drift/proportions.ts";
import { populationStabilityIndex } from "../../src/drift/psi.ts";

/** One window per pod: `counts[pod][feature]` in the baseline's bin order, `rows` rows per pod. */
export interface PodWindows {
  readonly counts: readonly (readonly Float64Array[])[];
  readonly rows: number;
}

export interface Rule {
  readonly name: string;
  readonly short: string;
  /** True when the rule raises a drift alarm for these windows. */
  alarms(windows: PodWindows, baseline: Baseline): boolean;
}

const ALPHA = DRIFT_DECISION_DEFAULTS.falseAlarmRate;
const MIN_WINDOW = DRIFT_DECISION_DEFAULTS.minWindow;

function evidence(baseline: Baseline, counts: readonly Float64Array[], rows: number): FeatureEvidence[] {
  return baseline.features.map((feature, f) => {
    const window = counts[f]!;
    const test = homogeneityTest(window, baselineCounts(feature));
    return { name: feature.name, pValue: Number.isNaN(test.pValue) ? null : test.pValue, psi: null, samples: rows };
  });
}

const mdoPooled: Rule = {
  name: `MDO: χ² homogeneity of pooled pod counts vs the baseline's, Bonferroni over features, α = ${ALPHA}, ≥ ${MIN_WINDOW} rows`,
  short: "MDO pooled",
  alarms({ counts, rows }, baseline) {
    const pooled = baseline.features.map((_, f) => poolCounts(counts.map((pod) => pod[f]!)));
    const total = rows * counts.length;
    const decision = decideDrift(evidence(baseline, pooled, total), total, { ...DRIFT_DECISION_DEFAULTS, tests: baseline.features.length });
    return decision.decided && decision.drifted.length > 0;
  },
};

const mdoPerPod: Rule = {
  name: `MDO per pod: the same test on each pod's window, Bonferroni over features × pods, α = ${ALPHA}, ≥ ${MIN_WINDOW} rows per pod`,
  short: "MDO per pod",
  alarms({ counts, rows }, baseline) {
    const tests = baseline.features.length * counts.length;
    return counts.some((pod) => {
      const decision = decideDrift(evidence(baseline, pod, rows), rows, { ...DRIFT_DECISION_DEFAULTS, tests });
      return decision.decided && decision.drifted.length > 0;
    });
  },
};

/** A per-pod rule on one statistic of proportions: alarm when any feature of any pod exceeds `threshold`. */
function proportionsRule(name: string, short: string, statistic: (expected: ArrayLike<number>, actual: ArrayLike<number>) => number, threshold: number): Rule {
  return {
    name,
    short,
    alarms({ counts }, baseline) {
      return counts.some((pod) => baseline.features.some((feature, f) => statistic(feature.proportions, toProportions(pod[f]!)) > threshold));
    },
  };
}

/** Two-sample Kolmogorov p-value (asymptotic, with Stephens' small-sample correction). */
export function kolmogorovPValue(d: number, n: number, m: number): number {
  const ne = (n * m) / (n + m);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += (j % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-12) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

const alibi: Rule = {
  name: "alibi-detect (KSDrift / TabularDrift defaults): KS per numeric feature, χ² per categorical one, Bonferroni over features, p < 0.05, per pod",
  short: "KS + Bonferroni",
  alarms({ counts, rows }, baseline) {
    const threshold = 0.05 / baseline.features.length;
    return counts.some((pod) =>
      baseline.features.some((feature, f) => {
        const window = pod[f]!;
        const p = feature.kind === "numeric"
          ? kolmogorovPValue(binnedKolmogorovSmirnov(feature.proportions, toProportions(window)), rows, feature.count)
          : homogeneityTest(window, baselineCounts(feature)).pValue;
        return p < threshold;
      }),
    );
  },
};

export const RULES: readonly Rule[] = [
  mdoPooled,
  mdoPerPod,
  proportionsRule("MDO until now: PSI > 0.25 on any feature of any pod (ε-smoothed proportions)", "old: PSI > 0.25", populationStabilityIndex, 0.25),
  proportionsRule("Evidently's default: PSI > 0.1, per pod", "PSI > 0.1", populationStabilityIndex, 0.1),
  proportionsRule("NannyML-style: Jensen–Shannon distance > 0.1, per pod", "JS > 0.1", jensenShannonDistance, 0.1),
  alibi,
];
