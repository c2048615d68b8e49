// TorchServe (0.12): the catalog starts it with --model-store={{modelDir}} and
// --models={{modelName}}={{modelName}}.mar, so the store must hold the archive under that name.
import type { LayoutRequest, LayoutResult } from "./kinds.ts";
import { keptUserLayout } from "./kinds.ts";
import { hasExtension, listFiles, move, pickOne } from "./tree.ts";

/**
 * Keeps a tree that has `<modelName>.mar` at the root. Otherwise moves the one .mar found
 * anywhere to `<modelName>.mar` at the root. Nothing is written.
 */
export async function layOutTorchserve(dir: string, request: LayoutRequest): Promise<LayoutResult> {
  const target = `${request.modelName}.mar`;
  const files = await listFiles(dir);
  if (files.includes(target)) return keptUserLayout();
  const archive = pickOne(files, (f) => hasExtension(f, [".mar"]),
    `torchserve needs one model archive (.mar), served as ${target}`);
  return { wrote: [], moved: [await move(dir, archive, target)], kept: undefined };
}
