// The layout step of `mdo fetch`: after the download and before the atomic rename into place,
// the model directory is rearranged into the shape its serving runtime reads (the catalog
// entry's `layout`). See docs/operator.md, "What each runtime gets".
import type { Layouter, LayoutRequest, LayoutResult, RuntimeLayout } from "./kinds.ts";
import { layOutHuggingface } from "./huggingface.ts";
import { layOutMlserver } from "./mlserver.ts";
import { layOutTensorflowServing } from "./tensorflow-serving.ts";
import { layOutTorchserve } from "./torchserve.ts";
import { layoutFailed } from "./tree.ts";
import { layOutTriton } from "./triton.ts";

export { RUNTIME_LAYOUTS } from "./kinds.ts";
export type { LayoutRequest, LayoutResult, RuntimeLayout } from "./kinds.ts";

const LAYOUTS: ReadonlyMap<RuntimeLayout, Layouter> = new Map<RuntimeLayout, Layouter>([
  ["mlserver", layOutMlserver],
  ["triton", layOutTriton],
  ["tensorflow-serving", layOutTensorflowServing],
  ["torchserve", layOutTorchserve],
  ["huggingface", layOutHuggingface],
  ["none", () => Promise.resolve({ wrote: [], moved: [], kept: undefined })],
]);

/** A model name is used as a file and directory name: one path segment, no dot prefix. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Rearranges the fetched model directory `dir` in place for `request.layout`. A tree that
 * already has the runtime's layout is kept untouched (`kept: "user-layout"`), so laying out
 * twice changes nothing. `dir` must not be visible to the model server yet: a failure can leave
 * it half moved, which is fine because the caller discards it instead of renaming it into place.
 *
 * Throws DeliveryError(LayoutFailed) when the files do not fit the layout (the message says what
 * was expected and what was found) or the layout or model name is unusable; file-system errors
 * (ENOSPC, EACCES, …) propagate unchanged for the caller to classify.
 */
export async function layOut(dir: string, request: LayoutRequest): Promise<LayoutResult> {
  const layouter = LAYOUTS.get(request.layout);
  if (layouter === undefined) {
    throw layoutFailed(`unknown runtime layout ${String(request.layout)}; expected one of: ${[...LAYOUTS.keys()].join(", ")}`);
  }
  if (!SAFE_NAME.test(request.modelName)) {
    throw layoutFailed(`model name ${JSON.stringify(request.modelName)} cannot name a file in the model directory`);
  }
  return layouter(dir, request);
}
