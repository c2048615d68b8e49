// `-o json` of `mdo get` and `mdo list`: the views (schema.ts) as indented JSON, one document.
import type { ModelDeploymentListView, ModelDeploymentView } from "./schema.ts";

export function renderJson(view: ModelDeploymentView | ModelDeploymentListView): string {
  return JSON.stringify(view, null, 2);
}
