"""An MLServer custom runtime for tests: the scikit-learn runtime, but every inference takes at
least a given time (startMlserver({ latencyMs }) in test/support/mlserver.ts).

    model-settings.json:
      "implementation": "slow_sklearn.SlowSKLearnModel",
      "parameters": {"uri": "./model.joblib", "version": "v1", "extra": {"latency_ms": 100}}

The latency is read from `parameters.extra.latency_ms` (milliseconds, >= 0; missing: 0) when
the model loads. Each `predict` first awaits `asyncio.sleep(latency)`, then answers exactly as
MLServer's SKLearnModel does with the same model.joblib, so the predictions are the ones in
expected.json. The sleep is asynchronous: with `parallel_workers: 0` inference runs on the
server's event loop, and concurrent requests wait side by side without using CPU (40 clients
against 100 ms are about 400 requests/s).

Importable because scripts/train_iris.py --latency-ms copies this file into the model folder,
which MLServer 1.7 puts on sys.path while it imports a model's `implementation`.
"""

import asyncio

from mlserver.types import InferenceRequest, InferenceResponse
from mlserver_sklearn import SKLearnModel

LATENCY_KEY = "latency_ms"


class SlowSKLearnModel(SKLearnModel):
    async def load(self) -> bool:
        extra = (self.settings.parameters.extra if self.settings.parameters else None) or {}
        latency_ms = float(extra.get(LATENCY_KEY, 0))
        if latency_ms < 0:
            raise ValueError(f"{LATENCY_KEY} must be >= 0, got {latency_ms}")
        self._latency_s = latency_ms / 1000
        return await super().load()

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        await asyncio.sleep(self._latency_s)
        return await super().predict(payload)
