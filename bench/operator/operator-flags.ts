// The Node.js flags the benchmark runs the operator with: what the Helm chart sets, unless the
// environment says otherwise (MDO_BENCH_OPERATOR_NODE_FLAGS; "" for Node's defaults).

/** The chart's operator.nodeOptions (charts/mdo/values.yaml). */
export const CHART_NODE_OPTIONS = "--max-semi-space-size=4";

export function operatorNodeFlags(): string {
  return process.env.MDO_BENCH_OPERATOR_NODE_FLAGS ?? CHART_NODE_OPTIONS;
}
