// The BatchPrediction resource as the operator's client and caches see it.
import type { BatchPredictionSpec, BatchPredictionStatus } from "../../api/index.ts";
import { BATCH_KIND, BATCH_PLURAL, GROUP, VERSION } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/kube-client.ts";
import type { ResourceRef } from "../../runtime/client/resource.ts";

export const BATCH_PREDICTIONS: ResourceRef = { group: GROUP, version: VERSION, plural: BATCH_PLURAL, kind: BATCH_KIND, namespaced: true };

/** A BatchPrediction in the cache: admitted by the API server, trusted only once parseBatchPrediction accepts it. */
export type BatchPredictionObject = KubeObject & { spec: BatchPredictionSpec; status?: BatchPredictionStatus };
