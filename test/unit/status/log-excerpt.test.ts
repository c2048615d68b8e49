import { strict as assert } from "node:assert";
import { test } from "node:test";
import { errorExcerpt } from "../../../src/controllers/modeldeployment/status/log-excerpt.ts";

// The end of MLServer 1.7.1's log after a model file that does not unpickle (seen on the real node).
const MLSERVER_LOG = `2026-12-03 05:54:51,857 [mlserver.rest] INFO - HTTP server running on http://127.0.0.1:8081
2026-12-03 05:54:53,529 [mlserver][iris:v1] INFO - Couldn't load model 'iris'. Model will be removed from registry.
2026-12-03 05:54:53,539 [mlserver] ERROR - Some of the models failed to load during startup!
Traceback (most recent call last):
  File "/opt/venv/lib/python3.11/site-packages/joblib/numpy_pickle.py", line 650, in load
    obj = _unpickle(fobj, filename, mmap_mode)
ValueError: invalid literal for int() with base 10: b'his'
2026-12-03 05:54:53,551 [mlserver.grpc] INFO - Waiting for gRPC server shutdown
INFO:     Shutting down
INFO:     Finished server process [1]
`;

test("the last error lines of a log, not the clean shutdown after them", () => {
  assert.equal(errorExcerpt(MLSERVER_LOG),
    "2026-12-03 05:54:53,539 [mlserver] ERROR - Some of the models failed to load during startup! | ValueError: invalid literal for int() with base 10: b'his'");
});

test("exception lines with a module path count; repeats are dropped; at most maxLines, in log order", () => {
  const log = "a\nmlserver.errors.ModelNotFoundError: no model\nERROR x\nERROR x\nKeyError: 'uri'\n";
  assert.equal(errorExcerpt(log), "ERROR x | KeyError: 'uri'");
  assert.equal(errorExcerpt(log, 3), "mlserver.errors.ModelNotFoundError: no model | ERROR x | KeyError: 'uri'");
});

test("no error line: the last non-empty line; empty log: undefined; long text is cut", () => {
  assert.equal(errorExcerpt("starting\nstopped\n\n"), "stopped");
  assert.equal(errorExcerpt("\n  \n"), undefined);
  const cut = errorExcerpt(`ERROR ${"x".repeat(1000)}`, 2, 50);
  assert.equal(cut?.length, 50);
  assert.ok(cut?.endsWith("…"));
});
