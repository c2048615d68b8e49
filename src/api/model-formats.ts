// The model formats spec.model.format accepts, without the schema library: `mdo fetch` checks
// its --format flag against them and should not load zod for that.

/** Model serialisation formats; each maps to a default serving runtime in the runtime catalog. */
export const MODEL_FORMATS = [
  "sklearn",
  "xgboost",
  "lightgbm",
  "onnx",
  "tensorflow",
  "pytorch",
  "huggingface",
  "mlflow",
  "tensorrt",
  "custom",
] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];
