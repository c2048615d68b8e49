// Errors of one webhook attempt. They never leave src/webhooks: the caller turns them into
// results (`passed: false`, no status) that the rollout reports.

/** No HTTP answer: connection failed, timed out, or the caller was aborted. */
export class WebhookCallError extends Error {
  override readonly name = "WebhookCallError";
}
