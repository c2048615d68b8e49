// The vocabulary of the layout step: which on-disk shape a serving runtime reads, what `mdo fetch`
// asks for and what it reports. Kept free of I/O so the runtime catalog can import it.
import type { ModelFormat } from "../../api/model.ts";

/**
 * How a runtime expects its model directory to look. A catalog entry names one (`layout`);
 * "none" leaves the fetched files exactly as the store had them.
 */
export const RUNTIME_LAYOUTS = ["mlserver", "triton", "tensorflow-serving", "torchserve", "huggingface", "none"] as const;
export type RuntimeLayout = (typeof RUNTIME_LAYOUTS)[number];

/** What to lay out: the runtime's layout, the model's format and the names the server is started with. */
export interface LayoutRequest {
  layout: RuntimeLayout;
  format: ModelFormat;
  /** The {{modelName}} of the catalog args; a DNS label, used as a file and directory name. */
  modelName: string;
  /** spec.model.version (a label value such as v7), when the ModelDeployment has one. */
  modelVersion?: string;
}

/**
 * What the layout step did, for the fetcher's log. Paths are relative to the model directory,
 * with POSIX separators; a move reads "from -> to". `kept` is "user-layout" when the files
 * already had the runtime's layout and nothing was touched.
 */
export interface LayoutResult {
  wrote: string[];
  moved: string[];
  kept: "user-layout" | undefined;
}

/** One layout: rearranges `dir` in place or throws DeliveryError(LayoutFailed). */
export type Layouter = (dir: string, request: LayoutRequest) => Promise<LayoutResult>;

/** The result of a layout that found the runtime's own layout already in place. */
export function keptUserLayout(): LayoutResult {
  return { wrote: [], moved: [], kept: "user-layout" };
}
