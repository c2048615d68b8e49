// The WebhookCaller the operator uses: every hook of the asked type over HTTP, concurrently.
import type { WebhookSpec } from "../api/webhooks.ts";
import type { WebhookCall, WebhookResult } from "../rollout/hook-state.ts";
import { callWebhook, type CallOptions } from "./http-call.ts";
import { webhookBody, type WebhookCaller, type WebhookTarget } from "./types.ts";

export class HttpWebhookCaller implements WebhookCaller {
  private readonly options: CallOptions;

  /** `options.clock` times the waits between attempts (the operator's injected clock). */
  constructor(options: CallOptions) {
    this.options = options;
  }

  async call(hooks: readonly WebhookSpec[], call: WebhookCall, target: WebhookTarget, signal?: AbortSignal): Promise<WebhookResult[]> {
    const ofType = hooks.filter((h) => h.type === call.type);
    const options: CallOptions = signal === undefined ? this.options
      : { ...this.options, signal: this.options.signal === undefined ? signal : AbortSignal.any([this.options.signal, signal]) };
    return Promise.all(ofType.map((h) => callWebhook(h, webhookBody(h, call, target), options)));
  }
}
